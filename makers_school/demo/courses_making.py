"""Demo courses of the making areas: additive, robotics, CNC."""

from .course_base import LAB_EN, LAB_IT, _course

MAKING = [
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
            (
                "Panoramica delle tecnologie additive",
                "Overview of additive technologies",
            ),
            (
                "Dal CAD al file di stampa: STL e 3MF",
                "From CAD to print file: STL and 3MF",
            ),
            ("Slicing, orientamento e supporti", "Slicing, orientation and supports"),
            ("Laboratorio: stampa FDM", "Lab: FDM printing"),
            ("Laboratorio: resine e SLA", "Lab: resins and SLA"),
            (
                "Post-trattamenti e verifica finale",
                "Post-processing and final assessment",
            ),
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
            (
                "Regole di progettazione per l'additive",
                "Design rules for additive manufacturing",
            ),
            ("Ottimizzazione topologica", "Topology optimisation"),
            (
                "Strutture reticolari e alleggerimento",
                "Lattice structures and lightweighting",
            ),
            ("Consolidamento delle parti", "Part consolidation"),
            (
                "Laboratorio: dal modello ottimizzato alla stampa",
                "Lab: from optimised model to print",
            ),
            ("Stima di tempi e costi", "Estimating time and cost"),
            ("Casi industriali", "Industrial case studies"),
            ("Progetto finale e discussione", "Final project and discussion"),
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
            (
                "Sicurezza nella gestione delle polveri metalliche",
                "Safe handling of metal powders",
            ),
            ("Il processo L-PBF", "The L-PBF process"),
            ("Parametri di processo e densità", "Process parameters and density"),
            ("Supporti e tensioni residue", "Supports and residual stress"),
            ("Laboratorio: preparazione del job", "Lab: preparing the build job"),
            ("Laboratorio: conduzione della macchina", "Lab: running the machine"),
            (
                "Rimozione dei pezzi e trattamenti termici",
                "Part removal and heat treatment",
            ),
            ("Controlli non distruttivi", "Non-destructive testing"),
            ("Qualifica di processo", "Process qualification"),
            ("Verifica finale", "Final assessment"),
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
            (
                "Sicurezza delle applicazioni collaborative",
                "Safety of collaborative applications",
            ),
            ("Cinematica e sistemi di riferimento", "Kinematics and reference frames"),
            ("Laboratorio: primo programma", "Lab: your first program"),
            ("Ingressi, uscite e pinze", "Inputs, outputs and grippers"),
            ("Laboratorio: asservimento macchina", "Lab: machine tending"),
            ("Valutazione dei rischi", "Risk assessment"),
            ("Laboratorio: pallettizzazione", "Lab: palletising"),
            ("Verifica finale", "Final assessment"),
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
            ("Architettura di una cella robotizzata", "Architecture of a robotic cell"),
            ("Visione artificiale: calibrazione", "Machine vision: calibration"),
            ("Laboratorio: riconoscimento pezzi", "Lab: part recognition"),
            ("Pinze e utensili", "Grippers and end-of-arm tooling"),
            (
                "Scanner e barriere di sicurezza",
                "Safety laser scanners and light curtains",
            ),
            ("Laboratorio: integrazione della cella", "Lab: integrating the cell"),
            ("Documentazione e marcatura CE", "Documentation and CE marking"),
            ("Progetto finale", "Final project"),
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
        },
        en={
            "slug": "cnc-iso-programming-milling",
            "title": "ISO CNC programming for milling",
            "summary": (
                "Writing, simulating and testing ISO programs for 3-axis machining "
                "centres."
            ),
            "prerequisites": "<p>Reading technical drawings.</p>",
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
            ("Sicurezza in officina", "Workshop safety"),
            ("Sistemi di coordinate e origini", "Coordinate systems and work offsets"),
            ("Codici G e M", "G-codes and M-codes"),
            (
                "Cicli fissi di foratura e tasche",
                "Canned cycles for drilling and pockets",
            ),
            ("Correttori utensile", "Tool length and radius compensation"),
            ("Laboratorio: attrezzaggio", "Lab: machine setup"),
            ("Laboratorio: simulazione", "Lab: simulation"),
            ("Laboratorio: primo pezzo", "Lab: first part"),
            ("Controllo del pezzo", "Inspecting the part"),
            ("Prova finale in macchina", "Final test on the machine"),
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
            ("Cinematiche a 5 assi", "5-axis kinematics"),
            ("Lavorazioni 3+2", "3+2 machining"),
            ("Strategie in continuo", "Simultaneous 5-axis strategies"),
            ("Simulazione e collisioni", "Simulation and collision checking"),
            ("Post-processori", "Post-processors"),
            ("Laboratorio: pezzo dimostrativo", "Lab: demonstration part"),
        ],
    ),
]
