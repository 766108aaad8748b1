"""The demo courses. `code` is the stable key; `topics` are the Italian session topics
of every edition, in order; `requires` lists the codes of prerequisite courses."""

from .blocks import heading, paragraph, stream

VOUCHER_IT = (
    "<p>Indicato come ammissibile al voucher Regione Piemonte per le imprese: le "
    "regole esatte sono nel bando regionale in vigore.</p>"
)
VOUCHER_EN = (
    "<p>Marked as eligible for the Regione Piemonte voucher for companies: the exact "
    "rules are in the regional call in force.</p>"
)
FREE_IT = (
    "<p>Gratuito: finanziato dalla Camera di commercio di Torino per chi è in cerca "
    "di occupazione o in riqualificazione.</p>"
)
FREE_EN = (
    "<p>Free: funded by the Turin Chamber of Commerce for job seekers and people "
    "retraining.</p>"
)


def _body(it_what: str, it_how: str, en_what: str, en_how: str) -> dict[str, str]:
    return {
        "it": stream(
            heading("Che cosa imparerai"),
            paragraph(it_what),
            heading("Come si svolge"),
            paragraph(it_how),
        ),
        "en": stream(
            heading("What you will learn"),
            paragraph(en_what),
            heading("How it works"),
            paragraph(en_how),
        ),
    }


def _course(code, area, hours, eqf, price, lang, competencies, image, **texts):
    body = _body(*texts.pop("body"))
    return {
        "code": code,
        "area": area,
        "hours": hours,
        "eqf_level": eqf,
        "price": price,
        "teaching_language": lang,
        "competencies": competencies,
        "image": image,
        "voucher": texts.pop("voucher", False),
        "requires": texts.pop("requires", []),
        "topics": texts.pop("topics"),
        "it": {**texts["it"], "body": body["it"]},
        "en": {**texts["en"], "body": body["en"]},
    }


LAB_IT = (
    "<p>Metà delle ore in laboratorio, in gruppi di due o tre persone per "
    "postazione. Verifica finale pratica.</p>"
)
LAB_EN = (
    "<p>Half of the hours in the lab, two or three people per workstation. "
    "Practical final assessment.</p>"
)

COURSES = [
    _course(
        "AM-101",
        "additive",
        24,
        4,
        "0.00",
        "it",
        ["AM-01", "AM-02"],
        "printer",
        it={
            "slug": "fondamenti-additive-manufacturing",
            "title": "Fondamenti di additive manufacturing",
            "summary": (
                "Le tecnologie di stampa 3D industriale, dal file al pezzo finito: "
                "FDM, SLA e SLS a confronto, preparazione dei file e conduzione "
                "della macchina."
            ),
            "prerequisites": "<p>Nessuno. Utile una conoscenza di base del CAD.</p>",
        },
        en={
            "slug": "additive-manufacturing-fundamentals",
            "title": "Additive manufacturing fundamentals",
            "summary": (
                "Industrial 3D printing technologies from file to finished part: FDM, "
                "SLA and SLS compared, file preparation and running the machine."
            ),
            "prerequisites": "<p>None. Basic CAD knowledge helps.</p>",
        },
        body=(
            "<p>Riconoscere le principali tecnologie additive, preparare un file STL "
            "o 3MF, scegliere orientamento e supporti, condurre una stampante a "
            "polimeri e valutare il pezzo.</p>",
            LAB_IT,
            "<p>Recognise the main additive technologies, prepare an STL or 3MF file, "
            "choose orientation and supports, run a polymer printer and assess the "
            "part.</p>",
            LAB_EN,
        ),
        topics=[
            "Panoramica delle tecnologie additive",
            "Dal CAD al file di stampa: STL e 3MF",
            "Slicing, orientamento e supporti",
            "Laboratorio: stampa FDM",
            "Laboratorio: resine e SLA",
            "Post-trattamenti e verifica finale",
        ],
    ),
    _course(
        "AM-201",
        "additive",
        40,
        5,
        "680.00",
        "it",
        ["AM-03", "AM-05"],
        "printer",
        voucher=True,
        requires=["AM-101"],
        it={
            "slug": "progettazione-per-additive-dfam",
            "title": "Progettazione per la fabbricazione additiva (DfAM)",
            "summary": (
                "Ripensare i componenti per la stampa 3D: ottimizzazione topologica, "
                "strutture reticolari, consolidamento delle parti e costi."
            ),
            "prerequisites": (
                "<p>Aver completato AM-101 o esperienza equivalente; uso "
                "autonomo di un CAD 3D.</p>"
            ),
        },
        en={
            "slug": "design-for-additive-manufacturing",
            "title": "Design for additive manufacturing (DfAM)",
            "summary": (
                "Rethinking parts for 3D printing: topology optimisation, lattice "
                "structures, part consolidation and costs."
            ),
            "prerequisites": (
                "<p>AM-101 completed or equivalent experience; independent use of a "
                "3D CAD system.</p>"
            ),
        },
        body=(
            "<p>Applicare le regole di progettazione per l'additive, usare "
            "l'ottimizzazione topologica, stimare tempi e costi di un pezzo.</p>",
            LAB_IT,
            "<p>Apply design rules for additive, use topology optimisation, estimate "
            "the time and cost of a part.</p>",
            LAB_EN,
        ),
        topics=[
            "Regole di progettazione per l'additive",
            "Ottimizzazione topologica",
            "Strutture reticolari e alleggerimento",
            "Consolidamento delle parti",
            "Laboratorio: dal modello ottimizzato alla stampa",
            "Stima di tempi e costi",
            "Casi industriali",
            "Progetto finale e discussione",
        ],
    ),
    _course(
        "AM-301",
        "additive",
        64,
        6,
        "1450.00",
        "it",
        ["AM-04", "AM-05"],
        "printer",
        voucher=True,
        requires=["AM-201"],
        it={
            "slug": "fusione-laser-letto-polvere-metalli",
            "title": "Fusione laser a letto di polvere per metalli",
            "summary": (
                "Il processo L-PBF in produzione: polveri, parametri, supporti, "
                "trattamenti termici e qualifica dei pezzi metallici."
            ),
            "prerequisites": "<p>Aver completato AM-201.</p>",
        },
        en={
            "slug": "laser-powder-bed-fusion-metals",
            "title": "Laser powder bed fusion of metals",
            "summary": (
                "L-PBF in production: powders, parameters, supports, heat treatments "
                "and qualification of metal parts."
            ),
            "prerequisites": "<p>AM-201 completed.</p>",
        },
        body=(
            "<p>Gestire un job L-PBF dalla preparazione della piattaforma alla "
            "rimozione dei pezzi, maneggiare le polveri in sicurezza, scegliere i "
            "trattamenti termici.</p>",
            "<p>Sessioni al laboratorio partner del Politecnico di Torino, con "
            "dispositivi di protezione forniti dalla scuola.</p>",
            "<p>Run an L-PBF job from build plate preparation to part removal, handle "
            "powders safely, choose heat treatments.</p>",
            "<p>Sessions at the partner lab of the Politecnico di Torino, with "
            "protective equipment provided by the school.</p>",
        ),
        topics=[
            "Sicurezza nella gestione delle polveri metalliche",
            "Il processo L-PBF",
            "Parametri di processo e densità",
            "Supporti e tensioni residue",
            "Laboratorio: preparazione del job",
            "Laboratorio: conduzione della macchina",
            "Rimozione dei pezzi e trattamenti termici",
            "Controlli non distruttivi",
            "Qualifica di processo",
            "Verifica finale",
        ],
    ),
    _course(
        "ROB-101",
        "robotics",
        32,
        4,
        "480.00",
        "it",
        ["ROB-01", "ROB-02"],
        "robot",
        voucher=True,
        it={
            "slug": "robotica-collaborativa-introduzione-cobot",
            "title": "Robotica collaborativa: introduzione ai cobot",
            "summary": (
                "Programmare un robot collaborativo e progettare un'applicazione "
                "sicura accanto alle persone."
            ),
            "prerequisites": "<p>Nessuno.</p>",
        },
        en={
            "slug": "collaborative-robotics-introduction",
            "title": "Collaborative robotics: an introduction to cobots",
            "summary": (
                "Programming a collaborative robot and designing an application that "
                "is safe next to people."
            ),
            "prerequisites": "<p>None.</p>",
        },
        body=(
            "<p>Programmare traiettorie e punti, usare ingressi e uscite, valutare i "
            "rischi di un'applicazione collaborativa.</p>",
            LAB_IT,
            "<p>Program paths and waypoints, use inputs and outputs, assess the risks "
            "of a collaborative application.</p>",
            LAB_EN,
        ),
        topics=[
            "Sicurezza delle applicazioni collaborative",
            "Cinematica e sistemi di riferimento",
            "Laboratorio: primo programma",
            "Ingressi, uscite e pinze",
            "Laboratorio: asservimento macchina",
            "Valutazione dei rischi",
            "Laboratorio: pallettizzazione",
            "Verifica finale",
        ],
    ),
    _course(
        "ROB-201",
        "robotics",
        56,
        5,
        "950.00",
        "it",
        ["ROB-02", "ROB-03"],
        "robot",
        voucher=True,
        requires=["ROB-101"],
        it={
            "slug": "celle-robotizzate-visione-sicurezza",
            "title": "Celle robotizzate: visione artificiale e sicurezza",
            "summary": (
                "Integrare visione, pinze e dispositivi di sicurezza in una cella "
                "robotizzata completa."
            ),
            "prerequisites": "<p>Aver completato ROB-101.</p>",
        },
        en={
            "slug": "robot-cells-vision-safety",
            "title": "Robot cells: machine vision and safety",
            "summary": (
                "Integrating vision, grippers and safety devices into a complete "
                "robot cell."
            ),
            "prerequisites": "<p>ROB-101 completed.</p>",
        },
        body=(
            "<p>Calibrare una telecamera, riconoscere pezzi, configurare scanner di "
            "sicurezza e documentare la cella secondo la direttiva macchine.</p>",
            LAB_IT,
            "<p>Calibrate a camera, recognise parts, configure safety scanners and "
            "document the cell under the Machinery Directive.</p>",
            LAB_EN,
        ),
        topics=[
            "Architettura di una cella robotizzata",
            "Visione artificiale: calibrazione",
            "Laboratorio: riconoscimento pezzi",
            "Pinze e utensili",
            "Scanner e barriere di sicurezza",
            "Laboratorio: integrazione della cella",
            "Documentazione e marcatura CE",
            "Progetto finale",
        ],
    ),
    _course(
        "CNC-101",
        "cnc",
        80,
        4,
        "0.00",
        "it",
        ["CNC-01", "CNC-02"],
        "cnc",
        it={
            "slug": "programmazione-cnc-iso-fresatura",
            "title": "Programmazione CNC ISO per la fresatura",
            "summary": (
                "Scrivere, simulare e provare in macchina programmi ISO per centri "
                "di lavoro a 3 assi."
            ),
            "prerequisites": "<p>Lettura del disegno tecnico.</p>",
            "funding_notes": FREE_IT,
        },
        en={
            "slug": "cnc-iso-programming-milling",
            "title": "ISO CNC programming for milling",
            "summary": (
                "Writing, simulating and testing ISO programs for 3-axis machining "
                "centres."
            ),
            "prerequisites": "<p>Reading technical drawings.</p>",
            "funding_notes": FREE_EN,
        },
        body=(
            "<p>Codici G e M, cicli fissi, correttori utensile, attrezzaggio e "
            "azzeramento, controllo del primo pezzo.</p>",
            LAB_IT,
            "<p>G and M codes, canned cycles, tool offsets, set-up and zeroing, "
            "first-article checks.</p>",
            LAB_EN,
        ),
        topics=[
            "Sicurezza in officina",
            "Sistemi di coordinate e origini",
            "Codici G e M",
            "Cicli fissi di foratura e tasche",
            "Correttori utensile",
            "Laboratorio: attrezzaggio",
            "Laboratorio: simulazione",
            "Laboratorio: primo pezzo",
            "Controllo del pezzo",
            "Prova finale in macchina",
        ],
    ),
    _course(
        "CNC-201",
        "cnc",
        48,
        5,
        "820.00",
        "it",
        ["CNC-03"],
        "cnc",
        it={
            "slug": "cam-cinque-assi",
            "title": "CAM a 5 assi",
            "summary": (
                "Percorsi utensile a 5 assi in continuo e posizionati, simulazione "
                "delle collisioni e post-processori."
            ),
            "prerequisites": "<p>Programmazione CNC di base e uso di un CAM.</p>",
        },
        en={
            "slug": "five-axis-cam",
            "title": "5-axis CAM",
            "summary": (
                "Continuous and positional 5-axis toolpaths, collision simulation and "
                "post-processors."
            ),
            "prerequisites": "<p>Basic CNC programming and use of a CAM system.</p>",
        },
        body=(
            "<p>Scegliere la strategia, controllare l'inclinazione dell'utensile, "
            "simulare la macchina e generare il programma.</p>",
            LAB_IT,
            "<p>Choose the strategy, control tool tilt, simulate the machine and "
            "generate the program.</p>",
            LAB_EN,
        ),
        topics=[
            "Cinematiche a 5 assi",
            "Lavorazioni 3+2",
            "Strategie in continuo",
            "Simulazione e collisioni",
            "Post-processori",
            "Laboratorio: pezzo dimostrativo",
        ],
    ),
    _course(
        "IOT-101",
        "iot",
        40,
        5,
        "560.00",
        "it",
        ["IOT-01", "IOT-02"],
        "network",
        voucher=True,
        it={
            "slug": "iot-industriale-opc-ua-mqtt",
            "title": "IoT industriale: sensori, OPC UA e MQTT",
            "summary": (
                "Collegare macchine e sensori, raccogliere i dati di produzione e "
                "calcolare l'OEE."
            ),
            "prerequisites": "<p>Nozioni di reti informatiche.</p>",
        },
        en={
            "slug": "industrial-iot-opc-ua-mqtt",
            "title": "Industrial IoT: sensors, OPC UA and MQTT",
            "summary": (
                "Connecting machines and sensors, collecting production data and "
                "computing OEE."
            ),
            "prerequisites": "<p>Basic knowledge of computer networks.</p>",
        },
        body=(
            "<p>Modelli informativi OPC UA, broker MQTT, edge gateway, cruscotti "
            "di produzione e indicatori OEE.</p>",
            LAB_IT,
            "<p>OPC UA information models, MQTT brokers, edge gateways, production "
            "dashboards and OEE indicators.</p>",
            LAB_EN,
        ),
        topics=[
            "Architetture IoT in fabbrica",
            "Sensori e acquisizione dati",
            "OPC UA",
            "MQTT e broker",
            "Laboratorio: edge gateway",
            "Archiviazione delle serie temporali",
            "Cruscotti e OEE",
            "Laboratorio: linea dimostrativa",
            "Sicurezza dei dati",
            "Progetto finale",
        ],
    ),
    _course(
        "MET-101",
        "metrology",
        40,
        4,
        "600.00",
        "it",
        ["MET-01", "MET-02", "MET-03"],
        "metrology",
        it={
            "slug": "metrologia-dimensionale-cmm",
            "title": "Metrologia dimensionale e macchine di misura",
            "summary": (
                "Misurare bene: strumenti, incertezza, tolleranze geometriche e "
                "programmazione di una macchina di misura a coordinate."
            ),
            "prerequisites": "<p>Lettura del disegno tecnico.</p>",
        },
        en={
            "slug": "dimensional-metrology-cmm",
            "title": "Dimensional metrology and measuring machines",
            "summary": (
                "Measuring well: instruments, uncertainty, geometric tolerances and "
                "programming a coordinate measuring machine."
            ),
            "prerequisites": "<p>Reading technical drawings.</p>",
        },
        body=(
            "<p>Usare calibri e micrometri, stimare l'incertezza, leggere la "
            "quotatura GD&amp;T e programmare un ciclo di misura su CMM.</p>",
            LAB_IT,
            "<p>Use callipers and micrometers, estimate uncertainty, read GD&amp;T "
            "and program a measuring cycle on a CMM.</p>",
            LAB_EN,
        ),
        topics=[
            "Strumenti di misura tradizionali",
            "Incertezza di misura",
            "Tolleranze geometriche ISO GPS",
            "La macchina di misura a coordinate",
            "Laboratorio: allineamenti",
            "Laboratorio: programma di misura",
            "Rapporti di misura",
            "Verifica finale",
        ],
    ),
    _course(
        "MET-201",
        "metrology",
        24,
        5,
        "520.00",
        "it",
        ["MET-04"],
        "metrology",
        voucher=True,
        it={
            "slug": "ispezione-scansione-3d",
            "title": "Ispezione con scansione 3D",
            "summary": (
                "Scanner a luce strutturata e laser per il controllo qualità: "
                "acquisizione, allineamento e confronto con il CAD."
            ),
            "prerequisites": "<p>Nozioni di metrologia dimensionale.</p>",
        },
        en={
            "slug": "inspection-3d-scanning",
            "title": "Inspection with 3D scanning",
            "summary": (
                "Structured-light and laser scanners for quality control: "
                "acquisition, alignment and comparison with CAD."
            ),
            "prerequisites": "<p>Basic dimensional metrology.</p>",
        },
        body=(
            "<p>Preparare il pezzo, acquisire la nuvola di punti, allinearla al CAD "
            "e produrre una mappa di deviazione.</p>",
            "<p>Sessioni al laboratorio partner del Politecnico di Torino.</p>",
            "<p>Prepare the part, acquire the point cloud, align it to CAD and produce "
            "a deviation map.</p>",
            "<p>Sessions at the partner lab of the Politecnico di Torino.</p>",
        ),
        topics=[
            "Tecnologie di scansione 3D",
            "Preparazione del pezzo",
            "Laboratorio: acquisizione",
            "Allineamento e confronto con il CAD",
            "Mappe di deviazione e rapporto",
            "Verifica finale",
        ],
    ),
    _course(
        "CYB-101",
        "cybersecurity",
        24,
        6,
        "750.00",
        "en",
        ["CYB-01", "CYB-02"],
        "network",
        voucher=True,
        it={
            "slug": "cybersecurity-ot-iec-62443",
            "title": "Cybersecurity OT secondo IEC 62443",
            "summary": (
                "Proteggere gli impianti: valutazione del rischio, zone e condotti, "
                "segmentazione della rete OT. Corso in inglese."
            ),
            "prerequisites": "<p>Reti e automazione industriale; inglese B2.</p>",
        },
        en={
            "slug": "ot-cybersecurity-iec-62443",
            "title": "OT cybersecurity with IEC 62443",
            "summary": (
                "Protecting plants: risk assessment, zones and conduits, OT network "
                "segmentation. Taught in English."
            ),
            "prerequisites": (
                "<p>Networks and industrial automation; English at B2 level.</p>"
            ),
        },
        body=(
            "<p>Applicare la serie IEC 62443 a un impianto reale: inventario degli "
            "asset, valutazione del rischio, livelli di sicurezza, difesa in "
            "profondità.</p>",
            "<p>Lezioni in inglese con esercitazioni su un banco PLC.</p>",
            "<p>Apply the IEC 62443 series to a real plant: asset inventory, risk "
            "assessment, security levels, defence in depth.</p>",
            "<p>Taught in English with exercises on a PLC test bench.</p>",
        ),
        topics=[
            "Minacce agli impianti industriali",
            "La serie IEC 62443",
            "Inventario degli asset",
            "Zone e condotti",
            "Laboratorio: segmentazione della rete",
            "Esercitazione finale",
        ],
    ),
    _course(
        "DT-101",
        "digital-twin",
        40,
        6,
        "900.00",
        "en",
        ["DT-01", "DT-02"],
        "network",
        voucher=True,
        it={
            "slug": "gemelli-digitali-linee-produttive",
            "title": "Gemelli digitali delle linee produttive",
            "summary": (
                "Costruire il modello di simulazione di una linea e collegarlo ai "
                "dati di campo per decidere meglio. Corso in inglese."
            ),
            "prerequisites": "<p>Nozioni di IoT industriale; inglese B2.</p>",
        },
        en={
            "slug": "digital-twins-production-lines",
            "title": "Digital twins of production lines",
            "summary": (
                "Building a simulation model of a line and connecting it to shop "
                "floor data to make better decisions. Taught in English."
            ),
            "prerequisites": "<p>Basic industrial IoT; English at B2 level.</p>",
        },
        body=(
            "<p>Simulazione a eventi discreti, calibrazione del modello sui dati "
            "reali, scenari what-if e sincronizzazione con la linea.</p>",
            "<p>Lezioni in inglese al laboratorio partner del Politecnico.</p>",
            "<p>Discrete-event simulation, calibrating the model on real data, "
            "what-if scenarios and synchronisation with the line.</p>",
            "<p>Taught in English at the Politecnico partner lab.</p>",
        ),
        topics=[
            "Che cos'è un gemello digitale",
            "Simulazione a eventi discreti",
            "Raccolta dei dati di linea",
            "Calibrazione del modello",
            "Scenari what-if",
            "Laboratorio: sincronizzazione con la linea",
            "Casi industriali",
            "Progetto finale",
        ],
    ),
]

# The courses featured on the home page, in order.
FEATURED = ["AM-101", "ROB-101", "DT-101"]
