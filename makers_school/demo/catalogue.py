"""Competencies, venues, people and the plan of the demo editions.

ESCO URIs are left blank: the demo does not claim a match it has not checked.
"""

# code, EQF level, Italian title, English title, Italian description, English one.
COMPETENCIES = [
    (
        "AM-01",
        4,
        "Preparare file e parametri di stampa 3D",
        "Prepare 3D printing files and parameters",
        "Orientare il pezzo, generare supporti e scegliere i parametri di slicing.",
        "Orient the part, generate supports and choose slicing parameters.",
    ),
    (
        "AM-02",
        4,
        "Condurre una stampante 3D a polimeri",
        "Operate a polymer 3D printer",
        "Avviare, sorvegliare e concludere un lavoro di stampa FDM o SLA.",
        "Start, monitor and finish an FDM or SLA print job.",
    ),
    (
        "AM-03",
        5,
        "Progettare componenti per la fabbricazione additiva",
        "Design parts for additive manufacturing",
        "Applicare regole DfAM, ottimizzazione topologica e strutture reticolari.",
        "Apply DfAM rules, topology optimisation and lattice structures.",
    ),
    (
        "AM-04",
        6,
        "Gestire il processo di fusione laser a letto di polvere",
        "Manage the laser powder bed fusion process",
        "Impostare, condurre e qualificare un processo L-PBF per metalli.",
        "Set up, run and qualify an L-PBF process for metals.",
    ),
    (
        "AM-05",
        4,
        "Eseguire post-trattamenti di pezzi stampati",
        "Carry out post-processing of printed parts",
        "Rimuovere supporti, eseguire trattamenti termici e finiture superficiali.",
        "Remove supports, carry out heat treatments and surface finishing.",
    ),
    (
        "ROB-01",
        4,
        "Programmare un robot collaborativo",
        "Program a collaborative robot",
        "Definire traiettorie, punti e logiche di ingresso e uscita di un cobot.",
        "Define paths, waypoints and input/output logic of a cobot.",
    ),
    (
        "ROB-02",
        5,
        "Valutare i rischi di un'applicazione collaborativa",
        "Assess the risks of a collaborative application",
        "Applicare ISO 10218 e ISO/TS 15066 a un'applicazione con persone e robot.",
        "Apply ISO 10218 and ISO/TS 15066 to an application shared by people and "
        "robots.",
    ),
    (
        "ROB-03",
        5,
        "Integrare visione e pinze in una cella robotizzata",
        "Integrate vision and grippers in a robot cell",
        "Calibrare una telecamera e coordinare robot, pinza e sistema di visione.",
        "Calibrate a camera and coordinate robot, gripper and vision system.",
    ),
    (
        "CNC-01",
        4,
        "Scrivere programmi ISO per fresatrici CNC",
        "Write ISO programs for CNC milling machines",
        "Usare codici G e M, cicli fissi e correttori utensile.",
        "Use G and M codes, canned cycles and tool offsets.",
    ),
    (
        "CNC-02",
        3,
        "Attrezzare e condurre un centro di lavoro CNC",
        "Set up and run a CNC machining centre",
        "Montare pezzo e utensili, azzerare e controllare il primo pezzo.",
        "Mount workpiece and tools, set zero points and check the first part.",
    ),
    (
        "CNC-03",
        5,
        "Generare percorsi utensile a 5 assi",
        "Generate 5-axis toolpaths",
        "Usare un CAM per lavorazioni 3+2 e in continuo, con verifica collisioni.",
        "Use CAM for 3+2 and continuous machining, with collision checks.",
    ),
    (
        "IOT-01",
        5,
        "Collegare macchine e sensori con OPC UA e MQTT",
        "Connect machines and sensors with OPC UA and MQTT",
        "Configurare server OPC UA, broker MQTT ed edge gateway.",
        "Configure OPC UA servers, MQTT brokers and edge gateways.",
    ),
    (
        "IOT-02",
        5,
        "Analizzare dati di produzione e OEE",
        "Analyse production data and OEE",
        "Costruire cruscotti e calcolare disponibilità, efficienza e qualità.",
        "Build dashboards and compute availability, performance and quality.",
    ),
    (
        "MET-01",
        3,
        "Eseguire misure con strumenti tradizionali",
        "Measure with conventional instruments",
        "Usare calibri, micrometri e comparatori registrando i risultati.",
        "Use callipers, micrometers and dial gauges, recording the results.",
    ),
    (
        "MET-02",
        4,
        "Programmare una macchina di misura a coordinate",
        "Program a coordinate measuring machine",
        "Allineare il pezzo e scrivere un ciclo di misura su CMM.",
        "Align the part and write a measuring cycle on a CMM.",
    ),
    (
        "MET-03",
        4,
        "Interpretare le tolleranze geometriche ISO GPS",
        "Interpret ISO GPS geometric tolerances",
        "Leggere riferimenti e tolleranze di forma, orientamento e posizione.",
        "Read datums and tolerances of form, orientation and location.",
    ),
    (
        "MET-04",
        5,
        "Ispezionare pezzi con scansione 3D",
        "Inspect parts with 3D scanning",
        "Acquisire nuvole di punti e confrontarle con il modello CAD.",
        "Acquire point clouds and compare them with the CAD model.",
    ),
    (
        "CYB-01",
        6,
        "Valutare i rischi cyber di un impianto (IEC 62443)",
        "Assess the cyber risks of a plant (IEC 62443)",
        "Inventariare gli asset, definire zone e condotti, fissare i livelli di "
        "sicurezza.",
        "Inventory assets, define zones and conduits, set security levels.",
    ),
    (
        "CYB-02",
        5,
        "Segmentare e proteggere una rete OT",
        "Segment and protect an OT network",
        "Configurare firewall industriali e accessi remoti sicuri.",
        "Configure industrial firewalls and secure remote access.",
    ),
    (
        "DT-01",
        6,
        "Costruire il modello di simulazione di una linea",
        "Build a simulation model of a production line",
        "Modellare una linea con la simulazione a eventi discreti.",
        "Model a line with discrete-event simulation.",
    ),
    (
        "DT-02",
        6,
        "Collegare un gemello digitale ai dati di campo",
        "Connect a digital twin to shop floor data",
        "Calibrare e sincronizzare il modello con i dati raccolti in linea.",
        "Calibrate and synchronise the model with data collected on the line.",
    ),
]

VENUES = {
    "mtc": {
        "name": "Manufacturing Technology Center — edificio principale",
        "name_en": "Manufacturing Technology Center — main building",
        "address": "Corso Settembrini 178",
        "postcode": "10135",
        "city": "Torino",
        "accessibility_notes": (
            "Ingresso accessibile senza gradini; ascensore per il primo piano; "
            "parcheggi riservati nell'area TNE."
        ),
    },
    "cobot": {
        "name": "MTC — Laboratorio cobot",
        "name_en": "MTC — Cobot lab",
        "address": "Corso Settembrini 178",
        "postcode": "10135",
        "city": "Torino",
        "accessibility_notes": (
            "Al piano terra. Obbligatorie le scarpe antinfortunistiche in laboratorio."
        ),
    },
    "polito": {
        "name": "Politecnico di Torino — laboratorio partner",
        "name_en": "Politecnico di Torino — partner lab",
        "address": "Corso Duca degli Abruzzi 24",
        "postcode": "10129",
        "city": "Torino",
        "accessibility_notes": "Accesso dall'ingresso principale; ascensori.",
    },
}

# Every demo account uses this password. Demo data only, never for production.
DEMO_PASSWORD = "makers-demo-2026"  # noqa: S105

# key, email, first name, last name, role, language, extra flags.
USERS = [
    ("staff", "staff@makers-school.example", "Giulia", "Ferrero", "Staff", "it"),
    (
        "docente",
        "docente@makers-school.example",
        "Marco",
        "Bertolotti",
        "Instructors",
        "it",
    ),
    (
        "docente2",
        "docente2@makers-school.example",
        "Elena",
        "Rinaldi",
        "Instructors",
        "it",
    ),
    ("allievo", "allievo@makers-school.example", "Luca", "Gallo", "Trainees", "it"),
    ("allievo2", "allievo2@makers-school.example", "Sara", "Colombo", "Trainees", "it"),
    (
        "allievo3",
        "allievo3@makers-school.example",
        "Davide",
        "Ruffino",
        "Trainees",
        "it",
    ),
    ("allievo4", "allievo4@makers-school.example", "Aisha", "Mensah", "Trainees", "en"),
    (
        "azienda",
        "azienda@makers-school.example",
        "Paolo",
        "Rosso",
        "Company members",
        "it",
    ),
]

COMPANY = {
    "name": "Officine Meccaniche Torinesi S.r.l.",
    # Seven digits of the company number and 001 (the Torino office); the Luhn
    # check digit is computed by the loader.
    "partita_iva_base": "0876543001",
    "city": "Torino",
    "province": "TO",
    "website": "https://officine-torinesi.example",
    "manager": "azienda",
}

# course code, status, first session in days from the first load (negative = past),
# capacity, sessions, venue, instructors (keys of USERS), requires approval.
EDITIONS = [
    ("AM-101", "completed", -70, 16, 6, "mtc", ["docente"], False),
    ("AM-101", "open", 21, 16, 6, "mtc", ["docente"], False),
    ("AM-101", "open", 75, 16, 6, "mtc", ["docente"], False),
    ("AM-201", "open", 35, 12, 8, "mtc", ["docente", "docente2"], True),
    ("AM-301", "open", 60, 8, 10, "polito", ["docente2"], True),
    ("ROB-101", "in_progress", -3, 10, 8, "cobot", ["docente2"], False),
    ("ROB-101", "open", 28, 2, 6, "cobot", ["docente2"], False),
    ("ROB-201", "open", 80, 8, 8, "cobot", ["docente2"], True),
    ("CNC-101", "open", 14, 20, 10, "mtc", ["docente"], False),
    ("CNC-101", "cancelled", 45, 12, 10, "mtc", ["docente"], False),
    ("CNC-201", "open", 50, 10, 6, "mtc", ["docente"], False),
    ("IOT-101", "in_progress", -4, 14, 10, "mtc", ["docente", "docente2"], False),
    ("IOT-101", "open", 90, 14, 10, "mtc", ["docente"], False),
    ("MET-101", "open", 18, 12, 8, "mtc", ["docente2"], False),
    ("MET-201", "open", 40, 10, 6, "polito", ["docente2"], False),
    ("CYB-101", "open", 30, 15, 6, "mtc", ["docente"], True),
    ("DT-101", "open", 55, 12, 8, "polito", ["docente", "docente2"], True),
]

# Rooms by venue and area; the first and last sessions use the classroom.
ROOMS = {
    "additive": "Laboratorio additive",
    "robotics": "Laboratorio cobot",
    "cnc": "Officina CNC",
    "iot": "Laboratorio IoT",
    "metrology": "Sala metrologica",
    "cybersecurity": "Aula 2",
    "digital-twin": "Aula 2",
}
