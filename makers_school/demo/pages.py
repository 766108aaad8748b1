"""Texts of the site's pages: home, prose pages, news index, news, catalogue index.

Every entry has Italian values (the source pages) and English values (set on the
translation). Slugs are the stable keys the loader looks pages up by.
"""

from .blocks import callout, heading, key_figures, paragraph, quote, stream

HOME = {
    "it": {
        "title": "Makers' School",
        "hero_title": "Competenze per la manifattura avanzata",
        "hero_text": (
            "La scuola professionalizzante della Camera di commercio di Torino al "
            "Manufacturing Technology Center: corsi brevi e pratici di additive "
            "manufacturing, robotica collaborativa, CNC, IoT industriale, metrologia, "
            "cybersecurity OT e gemelli digitali."
        ),
        "hero_cta_text": "Scopri i corsi",
        "body": stream(
            key_figures(
                (
                    "38 M€",
                    "l'accordo di programma per il Manufacturing Technology Center",
                ),
                ("5", "enti promotori"),
                ("7", "aree tecnologiche"),
                ("80 %", "di frequenza per ottenere il certificato"),
            ),
            heading("Imparare sulle macchine vere"),
            paragraph(
                "<p>Le lezioni si svolgono nei laboratori dell'MTC, in corso "
                "Settembrini 178, accanto ai centri di ricerca del Politecnico e "
                "dell'Università di Torino. Ogni corso alterna teoria e pratica su "
                "stampanti 3D industriali, robot collaborativi, centri di lavoro CNC e "
                "macchine di misura.</p>"
            ),
            callout(
                "Le imprese possono finanziare la formazione",
                "<p>Alcuni corsi sono indicati come ammissibili al <b>voucher della "
                "Regione Piemonte</b>: leggi come funziona nella pagina dedicata.</p>",
                "success",
            ),
        ),
    },
    "en": {
        "title": "Makers' School",
        "hero_title": "Skills for advanced manufacturing",
        "hero_text": (
            "The vocational school of the Turin Chamber of Commerce at the "
            "Manufacturing Technology Center: short, hands-on courses in additive "
            "manufacturing, collaborative robotics, CNC, industrial IoT, metrology, "
            "OT cybersecurity and digital twins."
        ),
        "hero_cta_text": "Browse the courses",
        "body": stream(
            key_figures(
                (
                    "€38 M",
                    "programme agreement for the Manufacturing Technology Center",
                ),
                ("5", "founding institutions"),
                ("7", "technology areas"),
                ("80 %", "attendance needed for the certificate"),
            ),
            heading("Learning on real machines"),
            paragraph(
                "<p>Classes take place in the MTC laboratories at Corso Settembrini "
                "178, next to the research centres of the Politecnico and the "
                "University of Turin. Every course mixes theory and practice on "
                "industrial 3D printers, collaborative robots, CNC machining centres "
                "and measuring machines.</p>"
            ),
            callout(
                "Companies can fund training",
                "<p>Some courses are marked as eligible for the <b>Regione Piemonte "
                "voucher</b>: see how it works on the dedicated page.</p>",
                "success",
            ),
        ),
    },
}

# Prose pages under the home page, in menu order.
STANDARD_PAGES = [
    {
        "slug": "la-scuola",
        "slug_en": "the-school",
        "menu": True,
        "it": {
            "title": "La scuola",
            "intro": (
                "La Makers' School è il centro di formazione professionalizzante che "
                "la Camera di commercio di Torino ha voluto dentro il Manufacturing "
                "Technology Center."
            ),
            "body": stream(
                paragraph(
                    "<p>L'idea nasce con l'accordo di programma presentato il 28 marzo "
                    "2019 negli spazi di Torino Nuova Economia: accanto alla ricerca "
                    "applicata e al trasferimento tecnologico, il nuovo hub della "
                    "manifattura avanzata doveva offrire alle imprese una vera "
                    "scuola.</p>"
                ),
                quote(
                    "Una vera e propria \u201cMakers' School\u201d unica in Italia, "
                    "con personale già formato per le alte tecnologie.",
                    "Camera di commercio di Torino, 28 marzo 2019",
                ),
                heading("Per chi"),
                paragraph(
                    "<ul><li>Tecnici e operatori delle imprese che introducono nuove "
                    "tecnologie;</li><li>giovani diplomati e laureati che vogliono "
                    "lavorare nella manifattura avanzata;</li><li>persone in cerca di "
                    "una riqualificazione professionale.</li></ul>"
                ),
                heading("Come funziona"),
                paragraph(
                    "<p>Ogni corso ha una o più edizioni con date, sede e numero di "
                    "posti. Ci si iscrive online; quando i posti sono esauriti si "
                    "entra in lista d'attesa. Chi frequenta almeno la quota minima di "
                    "ore e supera le verifiche riceve un certificato firmato "
                    "digitalmente, con le competenze indicate secondo i livelli "
                    "EQF.</p>"
                ),
            ),
        },
        "en": {
            "title": "The school",
            "intro": (
                "The Makers' School is the vocational training centre that the Turin "
                "Chamber of Commerce set up inside the Manufacturing Technology "
                "Center."
            ),
            "body": stream(
                paragraph(
                    "<p>The idea comes from the programme agreement presented on 28 "
                    "March 2019 at Torino Nuova Economia: alongside applied research "
                    "and technology transfer, the new advanced manufacturing hub was "
                    "to offer companies a real school.</p>"
                ),
                quote(
                    "A genuine \u201cMakers' School\u201d, unique in Italy, with staff "
                    "already trained for high technologies.",
                    "Turin Chamber of Commerce, 28 March 2019",
                ),
                heading("Who it is for"),
                paragraph(
                    "<ul><li>Technicians and operators of companies adopting new "
                    "technologies;</li><li>young graduates who want to work in "
                    "advanced manufacturing;</li><li>people looking to retrain.</li>"
                    "</ul>"
                ),
                heading("How it works"),
                paragraph(
                    "<p>Each course has one or more editions with dates, venue and a "
                    "number of seats. You enrol online; when an edition is full you "
                    "join the waitlist. Those who attend the minimum share of hours "
                    "and pass the assessments receive a digitally signed certificate "
                    "listing the competencies with their EQF levels.</p>"
                ),
            ),
        },
    },
    {
        "slug": "manufacturing-technology-center",
        "slug_en": "manufacturing-technology-center",
        "menu": True,
        "it": {
            "title": "Manufacturing Technology Center",
            "intro": (
                "L'hub torinese della manifattura avanzata, in corso Settembrini 178, "
                "nato dall'accordo tra cinque enti."
            ),
            "body": stream(
                key_figures(
                    ("38 M€", "valore complessivo dell'accordo"),
                    ("30 M€", "dalla Regione Piemonte per gli immobili"),
                    ("7,5 M€", "dal Politecnico di Torino"),
                    ("500 mila €", "dalla Camera di commercio di Torino"),
                ),
                heading("I cinque enti"),
                paragraph(
                    "<p>L'accordo di programma riunisce <b>Politecnico di Torino</b>, "
                    "<b>Università di Torino</b>, <b>Regione Piemonte</b>, <b>Città di "
                    "Torino</b> e <b>Camera di commercio di Torino</b>. Il centro "
                    "sorge negli spazi industriali di Torino Nuova Economia (TNE), "
                    "partendo dal nucleo del Competence Center che riunisce i due "
                    "atenei torinesi e decine di aziende private.</p>"
                ),
                heading("Cosa si fa all'MTC"),
                paragraph(
                    "<ul><li><b>Ricerca applicata</b>: progetti collaborativi tra "
                    "imprese e centri di ricerca, dimostratori tecnologici;</li>"
                    "<li><b>formazione professionale</b>: la Makers' School, con corsi "
                    "professionalizzanti e formazione continua;</li><li><b>innovazione "
                    "e trasferimento tecnologico</b>: laboratori per prototipi "
                    "\u201cproof of concept\u201d e servizi alle imprese.</li></ul>"
                ),
            ),
        },
        "en": {
            "title": "Manufacturing Technology Center",
            "intro": (
                "Turin's advanced manufacturing hub at Corso Settembrini 178, born "
                "from an agreement between five institutions."
            ),
            "body": stream(
                key_figures(
                    ("€38 M", "total value of the agreement"),
                    ("€30 M", "from Regione Piemonte for the buildings"),
                    ("€7.5 M", "from the Politecnico di Torino"),
                    ("€500 k", "from the Turin Chamber of Commerce"),
                ),
                heading("The five institutions"),
                paragraph(
                    "<p>The programme agreement brings together the <b>Politecnico di "
                    "Torino</b>, the <b>University of Turin</b>, <b>Regione "
                    "Piemonte</b>, the <b>City of Turin</b> and the <b>Turin Chamber "
                    "of Commerce</b>. The centre stands in the industrial spaces of "
                    "Torino Nuova Economia (TNE), growing from the Competence Center "
                    "that joins both Turin universities and dozens of private "
                    "companies.</p>"
                ),
                heading("What happens at the MTC"),
                paragraph(
                    "<ul><li><b>Applied research</b>: collaborative projects between "
                    "companies and research centres, technology demonstrators;</li>"
                    "<li><b>vocational training</b>: the Makers' School, with "
                    "professional courses and continuing education;</li><li><b>"
                    "innovation and technology transfer</b>: proof-of-concept "
                    "prototyping labs and services for companies.</li></ul>"
                ),
            ),
        },
    },
    {
        "slug": "voucher-regione-piemonte",
        "slug_en": "regione-piemonte-voucher",
        "menu": True,
        "it": {
            "title": "Voucher Regione Piemonte per le imprese",
            "intro": (
                "Come un'impresa piemontese può finanziare la formazione dei propri "
                "dipendenti con i voucher regionali."
            ),
            "body": stream(
                paragraph(
                    "<p>La Regione Piemonte ha stanziato <b>19 milioni di euro</b> per "
                    "voucher alle imprese, in particolare micro, piccole e medie, per "
                    "acquistare servizi qualificati e specialistici presso le "
                    "infrastrutture di ricerca pubbliche e private: servizi tecnici "
                    "per prodotti innovativi, uso di attrezzature, test e prove di "
                    "laboratorio. Il contributo alla spesa va <b>da 20 a 200 mila "
                    "euro</b>.</p>"
                ),
                heading("Quali corsi"),
                paragraph(
                    "<p>Nel catalogo i corsi con il contrassegno <b>Voucher Regione "
                    "Piemonte</b> sono quelli che la scuola ritiene ammissibili, "
                    "perché svolti in gran parte sulle attrezzature dei laboratori "
                    "MTC: fabbricazione additiva (AM-201, AM-301), robotica "
                    "collaborativa (ROB-101, ROB-201), IoT industriale (IOT-101), "
                    "scansione 3D (MET-201), cybersecurity OT (CYB-101) e gemelli "
                    "digitali (DT-101). Le note di finanziamento di ogni corso danno "
                    "i dettagli.</p>"
                ),
                heading("Come fare"),
                paragraph(
                    "<ol><li>Scegliete i corsi e le edizioni nel catalogo;</li><li>"
                    "chiedete alla scuola un preventivo intestato all'impresa;</li><li>"
                    "presentate la domanda alla Regione secondo il bando;</li><li>"
                    "iscrivete i dipendenti dall'area aziende.</li></ol>"
                ),
                callout(
                    "Le regole esatte sono nel bando",
                    "<p>Requisiti, spese ammissibili, scadenze e modalità di "
                    "rendicontazione sono stabiliti dal bando regionale in vigore. "
                    "Questa pagina è solo un orientamento: prima di iscrivere i "
                    "dipendenti verificate il bando sul sito della Regione Piemonte o "
                    "scriveteci.</p>",
                    "warning",
                ),
            ),
        },
        "en": {
            "title": "Regione Piemonte voucher for companies",
            "intro": (
                "How a company based in Piedmont can fund its employees' training "
                "with the regional vouchers."
            ),
            "body": stream(
                paragraph(
                    "<p>Regione Piemonte has allocated <b>€19 million</b> for vouchers "
                    "to companies, especially micro, small and medium ones, to buy "
                    "qualified and specialist services from public and private "
                    "research infrastructures: technical services for innovative "
                    "products, use of equipment, laboratory tests and trials. The "
                    "contribution to costs ranges <b>from €20,000 to €200,000</b>.</p>"
                ),
                heading("Which courses"),
                paragraph(
                    "<p>In the catalogue, courses marked <b>Regione Piemonte "
                    "voucher</b> are those the school considers eligible, because they "
                    "are largely delivered on the equipment of the MTC labs: additive "
                    "manufacturing (AM-201, AM-301), collaborative robotics (ROB-101, "
                    "ROB-201), industrial IoT (IOT-101), 3D scanning (MET-201), OT "
                    "cybersecurity (CYB-101) and digital twins (DT-101). Each course's "
                    "funding notes give the details.</p>"
                ),
                heading("What to do"),
                paragraph(
                    "<ol><li>Choose courses and editions in the catalogue;</li><li>ask "
                    "the school for a quote in the company's name;</li><li>apply to "
                    "the Region as the call requires;</li><li>enrol your employees "
                    "from the company area.</li></ol>"
                ),
                callout(
                    "The exact rules are in the call",
                    "<p>Requirements, eligible costs, deadlines and reporting are set "
                    "by the regional call (bando) in force. This page is guidance "
                    "only: before enrolling employees check the call on the Regione "
                    "Piemonte website or write to us.</p>",
                    "warning",
                ),
            ),
        },
    },
    {
        "slug": "contatti",
        "slug_en": "contact",
        "menu": True,
        "it": {
            "title": "Contatti",
            "intro": "Dove trovarci e come scriverci.",
            "body": stream(
                heading("Indirizzo"),
                paragraph(
                    "<p>Makers' School — Manufacturing Technology Center<br>Corso "
                    'Settembrini 178, 10135 Torino<br>Email: <a href="mailto:'
                    'makers.school@to.camcom.it">makers.school@to.camcom.it</a><br>'
                    "Telefono: +39 011 571 61 11</p>"
                ),
                heading("Come arrivare"),
                paragraph(
                    "<ul><li><b>In autobus</b>: linee GTT che percorrono corso "
                    "Settembrini e corso Orbassano, fermate a pochi minuti a "
                    "piedi;</li><li><b>in auto</b>: dalla tangenziale sud uscita corso "
                    "Orbassano, parcheggio per i visitatori nell'area "
                    "TNE;</li><li><b>in treno</b>: dalla stazione Lingotto, poi "
                    "autobus verso Mirafiori.</li></ul>"
                ),
                paragraph(
                    "<p>La segreteria risponde dal lunedì al venerdì, dalle 9 alle 13 "
                    "e dalle 14 alle 16.</p>"
                ),
            ),
        },
        "en": {
            "title": "Contact",
            "intro": "Where to find us and how to write to us.",
            "body": stream(
                heading("Address"),
                paragraph(
                    "<p>Makers' School — Manufacturing Technology Center<br>Corso "
                    'Settembrini 178, 10135 Torino, Italy<br>Email: <a href="mailto:'
                    'makers.school@to.camcom.it">makers.school@to.camcom.it</a><br>'
                    "Phone: +39 011 571 61 11</p>"
                ),
                heading("Getting here"),
                paragraph(
                    "<ul><li><b>By bus</b>: GTT lines along Corso Settembrini and "
                    "Corso Orbassano, stops a few minutes' walk away;</li><li><b>by "
                    "car</b>: from the southern ring road take the Corso Orbassano "
                    "exit, visitor parking in the TNE area;</li><li><b>by train</b>: "
                    "from Lingotto station, then a bus towards Mirafiori.</li></ul>"
                ),
                paragraph(
                    "<p>The school office answers Monday to Friday, 9:00-13:00 and "
                    "14:00-16:00.</p>"
                ),
            ),
        },
    },
    {
        "slug": "privacy",
        "slug_en": "privacy",
        "menu": False,
        "it": {
            "title": "Privacy",
            "intro": (
                "Informativa sul trattamento dei dati personali ai sensi degli "
                "articoli 13 e 14 del Regolamento (UE) 2016/679 (GDPR)."
            ),
            "body": stream(
                heading("Titolare del trattamento"),
                paragraph(
                    "<p>Camera di commercio di Torino, via Carlo Alberto 16, 10123 "
                    'Torino. Per domande: <a href="mailto:makers.school@to.camcom.it">'
                    "makers.school@to.camcom.it</a>.</p>"
                ),
                heading("Quali dati e perché"),
                paragraph(
                    "<p>Trattiamo i dati dell'account (nome, email, lingua), le "
                    "iscrizioni, le presenze, le valutazioni e i certificati per "
                    "organizzare i corsi e certificare le competenze. Il codice "
                    "fiscale è facoltativo. Il profilo pubblico per le aziende è "
                    "visibile solo se lo attivate voi, con il vostro consenso.</p>"
                ),
                heading("Per quanto tempo"),
                paragraph(
                    "<p>I dati dell'account restano finché l'account esiste. I "
                    "certificati rilasciati sono conservati come atti della scuola, "
                    "perché chiunque possa verificarne l'autenticità.</p>"
                ),
                heading("I vostri diritti"),
                paragraph(
                    "<p>Potete chiedere accesso, rettifica, cancellazione, limitazione "
                    "e portabilità dei dati, opporvi al trattamento e proporre reclamo "
                    "al Garante per la protezione dei dati personali. Dalla pagina del "
                    "vostro account potete <b>scaricare i vostri dati</b> e "
                    "<b>cancellare l'account</b> in qualsiasi momento.</p>"
                ),
            ),
        },
        "en": {
            "title": "Privacy",
            "intro": (
                "Notice on the processing of personal data under Articles 13 and 14 "
                "of Regulation (EU) 2016/679 (GDPR)."
            ),
            "body": stream(
                heading("Data controller"),
                paragraph(
                    "<p>Camera di commercio di Torino (Turin Chamber of Commerce), via "
                    'Carlo Alberto 16, 10123 Torino, Italy. Questions: <a href="mailto:'
                    'makers.school@to.camcom.it">makers.school@to.camcom.it</a>.</p>'
                ),
                heading("What data and why"),
                paragraph(
                    "<p>We process your account data (name, email, language), "
                    "enrolments, attendance, assessments and certificates to run the "
                    "courses and certify competencies. The Italian tax code is "
                    "optional. The profile companies can see is shown only if you "
                    "turn it on, with your consent.</p>"
                ),
                heading("How long"),
                paragraph(
                    "<p>Account data is kept while the account exists. Issued "
                    "certificates are kept as school records so that anyone can "
                    "verify them.</p>"
                ),
                heading("Your rights"),
                paragraph(
                    "<p>You may ask for access, rectification, erasure, restriction "
                    "and portability of your data, object to processing and complain "
                    "to the Italian Data Protection Authority (Garante). From your "
                    "account page you can <b>download your data</b> and <b>delete your "
                    "account</b> at any time.</p>"
                ),
            ),
        },
    },
]

COURSE_INDEX = {
    "slug": "corsi",
    "slug_en": "courses",
    "it": {
        "title": "Corsi",
        "intro": (
            "<p>Corsi brevi e pratici nelle sette aree della manifattura avanzata. "
            "Filtra per area, livello EQF, lingua e mese, oppure cerca per parola "
            "chiave.</p>"
        ),
    },
    "en": {
        "title": "Courses",
        "intro": (
            "<p>Short, hands-on courses in the seven areas of advanced manufacturing. "
            "Filter by area, EQF level, language and month, or search by keyword.</p>"
        ),
    },
}

NEWS_INDEX = {
    "slug": "notizie",
    "slug_en": "news",
    "it": {
        "title": "Notizie",
        "intro": "<p>Novità dalla Makers' School e dall'MTC.</p>",
    },
    "en": {
        "title": "News",
        "intro": "<p>News from the Makers' School and the MTC.</p>",
    },
}
