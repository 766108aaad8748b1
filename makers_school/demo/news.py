"""The demo news. A fixed `date` or `days_ago` (relative to the first load);
`{year}` in texts becomes the year of the courses whose enrolments open."""

from .blocks import callout, heading, key_figures, paragraph, quote, stream

NEWS = [
    {
        "slug": "primo-passo-hub-manifattura-avanzata",
        "slug_en": "first-step-advanced-manufacturing-hub",
        "date": "2019-03-28",
        "image": "hero",
        "it": {
            "title": "Il primo passo verso l'hub della manifattura avanzata",
            "intro": (
                "A Torino Nuova Economia si presenta l'accordo di programma da 38 "
                "milioni di euro che sblocca le risorse per il Manufacturing "
                "Technology Center."
            ),
            "body": stream(
                paragraph(
                    "<p>Negli spazi industriali di Torino Nuova Economia, in corso "
                    "Settembrini 178, è stato compiuto il primo passo ufficiale verso "
                    "la nascita del Manufacturing Technology Center: un luogo che può "
                    "diventare il quartier generale dell'industria 4.0 a Torino.</p>"
                ),
                key_figures(
                    ("38 M€", "valore dell'accordo"),
                    ("30 M€", "Regione Piemonte"),
                    ("7,5 M€", "Politecnico di Torino"),
                    ("500 mila €", "Camera di commercio"),
                ),
                paragraph(
                    "<p>L'accordo unisce Politecnico di Torino, Università di Torino, "
                    "Regione Piemonte, Città di Torino e Camera di commercio di "
                    "Torino. Le attività del centro seguiranno tre grandi filoni: "
                    "ricerca applicata, formazione professionale, innovazione e "
                    "trasferimento tecnologico.</p>"
                ),
                quote(
                    "La Camera di commercio punta a costituire un centro di formazione "
                    "professionalizzante e altamente competitivo: una vera e propria "
                    "\u201cMakers' School\u201d unica in Italia.",
                    "Comunicato stampa, 28 marzo 2019",
                ),
            ),
        },
        "en": {
            "title": "The first step towards the advanced manufacturing hub",
            "intro": (
                "At Torino Nuova Economia the €38 million programme agreement that "
                "unlocks the funds for the Manufacturing Technology Center is "
                "presented."
            ),
            "body": stream(
                paragraph(
                    "<p>In the industrial spaces of Torino Nuova Economia, Corso "
                    "Settembrini 178, the first official step was taken towards the "
                    "Manufacturing Technology Center: a place that can become the "
                    "headquarters of Industry 4.0 in Turin.</p>"
                ),
                key_figures(
                    ("€38 M", "value of the agreement"),
                    ("€30 M", "Regione Piemonte"),
                    ("€7.5 M", "Politecnico di Torino"),
                    ("€500 k", "Chamber of Commerce"),
                ),
                paragraph(
                    "<p>The agreement joins the Politecnico di Torino, the University "
                    "of Turin, Regione Piemonte, the City of Turin and the Turin "
                    "Chamber of Commerce. The centre's work will follow three main "
                    "strands: applied research, vocational training, innovation and "
                    "technology transfer.</p>"
                ),
                quote(
                    "The Chamber of Commerce aims to build a highly competitive "
                    "vocational training centre: a genuine \u201cMakers' School\u201d, "
                    "unique in Italy.",
                    "Press release, 28 March 2019",
                ),
            ),
        },
    },
    {
        "slug": "aperte-iscrizioni-corsi",
        "slug_en": "enrolments-open",
        "days_ago": 3,
        "image": "printer",
        "it": {
            "title": "Aperte le iscrizioni ai corsi {year}",
            "intro": (
                "Il nuovo calendario comprende dodici corsi in sette aree, dalla "
                "stampa 3D ai gemelli digitali, con edizioni in italiano e in inglese."
            ),
            "body": stream(
                paragraph(
                    "<p>Da oggi ci si può iscrivere online alle edizioni {year}. Le "
                    "novità: un percorso avanzato sulla fusione laser di polveri "
                    "metalliche, un corso di cybersecurity OT in inglese e una nuova "
                    "edizione serale di programmazione CNC.</p>"
                ),
                callout(
                    "Posti limitati",
                    "<p>I laboratori hanno un numero di postazioni limitato: quando "
                    "un'edizione è al completo ci si può iscrivere alla lista "
                    "d'attesa e si riceve un'offerta appena si libera un posto.</p>",
                ),
            ),
        },
        "en": {
            "title": "Enrolments open for the {year} courses",
            "intro": (
                "The new calendar includes twelve courses in seven areas, from 3D "
                "printing to digital twins, with editions in Italian and English."
            ),
            "body": stream(
                paragraph(
                    "<p>From today you can enrol online in the {year} editions. What "
                    "is new: an advanced track on laser powder bed fusion of metals, "
                    "an OT cybersecurity course taught in English and a new evening "
                    "edition of CNC programming.</p>"
                ),
                callout(
                    "Limited seats",
                    "<p>The labs have a limited number of workstations: when an "
                    "edition is full you can join the waitlist and you will receive "
                    "an offer as soon as a seat frees up.</p>",
                ),
            ),
        },
    },
    {
        "slug": "nuovo-laboratorio-cobot",
        "slug_en": "new-cobot-lab",
        "days_ago": 24,
        "image": "robot",
        "it": {
            "title": "Un nuovo laboratorio per la robotica collaborativa",
            "intro": (
                "Sei postazioni con robot collaborativi, pinze e sistemi di visione "
                "per imparare a progettare celle sicure insieme alle persone."
            ),
            "body": stream(
                paragraph(
                    "<p>Il laboratorio cobot dell'MTC ospita le esercitazioni dei "
                    "corsi ROB-101 e ROB-201. Ogni postazione riproduce un caso "
                    "industriale: asservimento macchina, pallettizzazione, controllo "
                    "qualità con telecamera.</p>"
                ),
                heading("Sicurezza prima di tutto", "h3"),
                paragraph(
                    "<p>Prima di lavorare sui robot ogni allievo segue un modulo "
                    "obbligatorio sulla valutazione dei rischi delle applicazioni "
                    "collaborative.</p>"
                ),
            ),
        },
        "en": {
            "title": "A new lab for collaborative robotics",
            "intro": (
                "Six workstations with collaborative robots, grippers and vision "
                "systems to learn how to design cells that are safe to share with "
                "people."
            ),
            "body": stream(
                paragraph(
                    "<p>The MTC cobot lab hosts the practical sessions of ROB-101 and "
                    "ROB-201. Each workstation reproduces an industrial case: machine "
                    "tending, palletising, quality control with a camera.</p>"
                ),
                heading("Safety first", "h3"),
                paragraph(
                    "<p>Before working on the robots every trainee takes a mandatory "
                    "module on risk assessment of collaborative applications.</p>"
                ),
            ),
        },
    },
    {
        "slug": "voucher-formazione-imprese",
        "slug_en": "vouchers-for-company-training",
        "days_ago": 45,
        "image": "cnc",
        "it": {
            "title": "Voucher regionali: come finanziare la formazione in azienda",
            "intro": (
                "Le piccole e medie imprese piemontesi possono usare i voucher della "
                "Regione Piemonte per i servizi delle infrastrutture di ricerca: ecco "
                "quali corsi della scuola sono indicati come ammissibili."
            ),
            "body": stream(
                paragraph(
                    "<p>Il plafond regionale di 19 milioni di euro finanzia contributi "
                    "da 20 a 200 mila euro per servizi tecnici, uso di attrezzature, "
                    "test e prove di laboratorio. Otto corsi del catalogo, svolti in "
                    "gran parte nei laboratori MTC, sono contrassegnati come "
                    "ammissibili.</p>"
                ),
                callout(
                    "Verificate il bando",
                    "<p>Le regole esatte (requisiti, spese ammissibili, scadenze) sono "
                    "quelle del bando regionale in vigore.</p>",
                    "warning",
                ),
            ),
        },
        "en": {
            "title": "Regional vouchers: how to fund training in your company",
            "intro": (
                "Small and medium companies in Piedmont can use the Regione Piemonte "
                "vouchers for services of research infrastructures: here is which of "
                "the school's courses are marked as eligible."
            ),
            "body": stream(
                paragraph(
                    "<p>The regional €19 million fund pays contributions from €20,000 "
                    "to €200,000 for technical services, use of equipment, laboratory "
                    "tests and trials. Eight courses of the catalogue, largely held in "
                    "the MTC labs, are marked as eligible.</p>"
                ),
                callout(
                    "Check the call",
                    "<p>The exact rules (requirements, eligible costs, deadlines) are "
                    "those of the regional call in force.</p>",
                    "warning",
                ),
            ),
        },
    },
]
