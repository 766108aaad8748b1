"""Demo courses of the digital areas: IoT, metrology, cybersecurity, twins."""

from .course_base import LAB_EN, LAB_IT, _course

DIGITAL = [
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
            ("Architetture IoT in fabbrica", "IoT architectures on the shop floor"),
            ("Sensori e acquisizione dati", "Sensors and data acquisition"),
            ("OPC UA", "OPC UA"),
            ("MQTT e broker", "MQTT and brokers"),
            ("Laboratorio: edge gateway", "Lab: edge gateway"),
            ("Archiviazione delle serie temporali", "Storing time series"),
            ("Cruscotti e OEE", "Dashboards and OEE"),
            ("Laboratorio: linea dimostrativa", "Lab: demonstration line"),
            ("Sicurezza dei dati", "Data security"),
            ("Progetto finale", "Final project"),
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
            ("Strumenti di misura tradizionali", "Traditional measuring instruments"),
            ("Incertezza di misura", "Measurement uncertainty"),
            ("Tolleranze geometriche ISO GPS", "ISO GPS geometrical tolerancing"),
            ("La macchina di misura a coordinate", "The coordinate measuring machine"),
            ("Laboratorio: allineamenti", "Lab: alignments"),
            ("Laboratorio: programma di misura", "Lab: measurement program"),
            ("Rapporti di misura", "Measurement reports"),
            ("Verifica finale", "Final assessment"),
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
            ("Tecnologie di scansione 3D", "3D scanning technologies"),
            ("Preparazione del pezzo", "Preparing the part"),
            ("Laboratorio: acquisizione", "Lab: scanning the part"),
            (
                "Allineamento e confronto con il CAD",
                "Alignment and comparison with CAD",
            ),
            ("Mappe di deviazione e rapporto", "Deviation maps and report"),
            ("Verifica finale", "Final assessment"),
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
            ("Minacce agli impianti industriali", "Threats to industrial plants"),
            ("La serie IEC 62443", "The IEC 62443 series"),
            ("Inventario degli asset", "Asset inventory"),
            ("Zone e condotti", "Zones and conduits"),
            ("Laboratorio: segmentazione della rete", "Lab: network segmentation"),
            ("Esercitazione finale", "Final exercise"),
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
            ("Che cos'è un gemello digitale", "What a digital twin is"),
            ("Simulazione a eventi discreti", "Discrete-event simulation"),
            ("Raccolta dei dati di linea", "Collecting line data"),
            ("Calibrazione del modello", "Model calibration"),
            ("Scenari what-if", "What-if scenarios"),
            (
                "Laboratorio: sincronizzazione con la linea",
                "Lab: synchronising with the line",
            ),
            ("Casi industriali", "Industrial case studies"),
            ("Progetto finale", "Final project"),
        ],
    ),
]
