"""Fixed demo data: issuers, achievements, pathways and the names they use.

Skill ids and labels are those of the built-in skillbeacon vocabulary, so
each alignment's targetUrl resolves to a skill concept.
"""

from skillbeacon.demo.issuer import AchievementSpec, SkillAlignment
from skillbeacon.models.pathway import PathwayDefinition, PathwayStep

SKILLS: dict[str, SkillAlignment] = {
    skill.label: skill
    for skill in (
        SkillAlignment("skillbeacon:python", "Python"),
        SkillAlignment("skillbeacon:teamwork", "Teamwork"),
        SkillAlignment("skillbeacon:patient-care", "Patient care"),
        SkillAlignment("skillbeacon:cpr", "CPR"),
        SkillAlignment("skillbeacon:first-aid", "First aid"),
        SkillAlignment("skillbeacon:customer-service", "Customer service"),
        SkillAlignment("skillbeacon:troubleshooting", "Troubleshooting"),
        SkillAlignment("skillbeacon:critical-thinking", "Critical thinking"),
        SkillAlignment(
            "skillbeacon:creative-problem-solving", "Creative problem solving"
        ),
        SkillAlignment("skillbeacon:communication", "Communication"),
        SkillAlignment("skillbeacon:infection-control", "Infection control"),
        SkillAlignment("skillbeacon:vital-signs", "Vital signs"),
        SkillAlignment("skillbeacon:medical-terminology", "Medical terminology"),
        SkillAlignment("skillbeacon:computer-networking", "Computer networking"),
        SkillAlignment("skillbeacon:cybersecurity", "Cybersecurity"),
        SkillAlignment("skillbeacon:linux", "Linux"),
        SkillAlignment("skillbeacon:help-desk-support", "Help desk support"),
        SkillAlignment("skillbeacon:sql", "SQL"),
        SkillAlignment("skillbeacon:javascript", "JavaScript"),
        SkillAlignment("skillbeacon:java", "Java"),
        SkillAlignment("skillbeacon:c-plus-plus", "C++"),
        SkillAlignment("skillbeacon:c-sharp", "C#"),
        SkillAlignment("skillbeacon:dotnet", ".NET"),
        SkillAlignment("skillbeacon:nodejs", "Node.js"),
        SkillAlignment("skillbeacon:hvac", "HVAC"),
    )
}

# Issuer slug -> (name, URL). The example.org hosts are reserved for examples.
ISSUERS: dict[str, tuple[str, str]] = {
    "college": ("Riverside Community College", "https://college.example.org"),
    "high-school": (
        "Northgate High School CTE Program",
        "https://northgate-cte.example.org",
    ),
    "workforce": ("Tri-County Workforce Board", "https://workforce.example.org"),
    "health": ("Harbor View Health Training Center", "https://health.example.org"),
}


def achievement(
    issuer_slug: str,
    slug: str,
    name: str,
    achievement_type: str,
    skill_labels: tuple[str, ...],
    description: str,
    criteria: str,
    validity_days: int | None = None,
) -> tuple[str, AchievementSpec]:
    _, issuer_url = ISSUERS[issuer_slug]
    spec = AchievementSpec(
        achievement_id=f"{issuer_url}/achievements/{slug}",
        name=name,
        description=description,
        criteria=criteria,
        achievement_type=achievement_type,
        skills=tuple(SKILLS[label] for label in skill_labels),
        validity_days=validity_days,
    )
    return issuer_slug, spec


# Achievement name -> (issuer slug, achievement).
ACHIEVEMENTS: dict[str, tuple[str, AchievementSpec]] = {
    spec.name: (issuer_slug, spec)
    for issuer_slug, spec in (
        achievement(
            "high-school",
            "health-careers",
            "Introduction to Health Careers",
            "Course",
            ("Medical terminology", "Communication"),
            "A semester course on roles in health care and basic medical terms.",
            "Completed the course with a grade of C or better.",
        ),
        achievement(
            "health",
            "cpr-first-aid",
            "CPR and First Aid",
            "Certificate",
            ("CPR", "First aid"),
            "Adult, child and infant CPR, AED use and basic first aid.",
            "Passed the written test and the hands-on skills check.",
            validity_days=730,
        ),
        achievement(
            "college",
            "infection-control",
            "Infection Control Basics",
            "Course",
            ("Infection control",),
            "Hand hygiene, personal protective equipment and isolation rules.",
            "Passed the module test and a supervised hand hygiene check.",
        ),
        achievement(
            "college",
            "vital-signs",
            "Vital Signs Skills Check",
            "Assessment",
            ("Vital signs", "Patient care"),
            "Measuring and recording temperature, pulse, respiration and blood "
            "pressure.",
            "Recorded vital signs within tolerance on three supervised patients.",
        ),
        achievement(
            "college",
            "nurse-aide-practicum",
            "Nurse Aide Clinical Practicum",
            "Certificate",
            ("Patient care", "Communication", "Teamwork"),
            "75 hours of supervised clinical practice in a long-term care setting.",
            "Completed the practicum hours and the instructor's skills checklist.",
        ),
        achievement(
            "high-school",
            "computer-hardware",
            "Computer Hardware Fundamentals",
            "Course",
            ("Help desk support", "Troubleshooting"),
            "Assembling, upgrading and troubleshooting desktop computers.",
            "Built and diagnosed a working computer in the lab practical.",
        ),
        achievement(
            "college",
            "networking-essentials",
            "Networking Essentials",
            "Course",
            ("Computer networking",),
            "IP addressing, switching, wireless networks and basic routing.",
            "Completed the labs and passed the final exam.",
        ),
        achievement(
            "workforce",
            "linux-command-line",
            "Linux Command Line",
            "MicroCredential",
            ("Linux",),
            "Files, permissions, processes and shell scripting on Linux.",
            "Passed a timed practical on a Linux virtual machine.",
        ),
        achievement(
            "college",
            "cybersecurity-foundations",
            "Cybersecurity Foundations",
            "Course",
            ("Cybersecurity", "Critical thinking"),
            "Threats, controls, secure configuration and incident basics.",
            "Completed the labs and passed the final exam.",
        ),
        achievement(
            "workforce",
            "help-desk-practicum",
            "Help Desk Practicum",
            "Certificate",
            ("Help desk support", "Customer service", "Communication"),
            "Eight weeks answering tickets on a supervised help desk.",
            "Closed 60 tickets with a supervisor's sign-off.",
        ),
        achievement(
            "high-school",
            "intro-python",
            "Intro to Programming with Python",
            "Course",
            ("Python", "Creative problem solving"),
            "Variables, control flow, functions and small projects in Python.",
            "Completed five projects and the final project.",
        ),
        achievement(
            "college",
            "web-javascript",
            "Web Development with JavaScript",
            "Course",
            ("JavaScript", "Node.js"),
            "Browser scripting and a small Node.js web service.",
            "Deployed a working web application as the final project.",
        ),
        achievement(
            "college",
            "databases-sql",
            "Databases and SQL",
            "Course",
            ("SQL",),
            "Relational design, queries, joins and transactions.",
            "Passed the final exam and the schema design project.",
        ),
        achievement(
            "college",
            "java-1",
            "Java Programming I",
            "Course",
            ("Java",),
            "Object-oriented programming in Java.",
            "Completed the labs and passed the final exam.",
        ),
        achievement(
            "college",
            "cpp",
            "C++ Programming",
            "Course",
            ("C++",),
            "Memory, classes and the standard library in C++.",
            "Completed the labs and passed the final exam.",
        ),
        achievement(
            "workforce",
            "csharp-dotnet",
            "C# and .NET Application Development",
            "MicroCredential",
            ("C#", ".NET"),
            "Building and testing C# applications on .NET.",
            "Built a tested C# application reviewed by an industry mentor.",
        ),
        achievement(
            "workforce",
            "workplace-teamwork",
            "Workplace Readiness: Teamwork",
            "Badge",
            ("Teamwork", "Communication"),
            "Working in teams, giving feedback and resolving conflicts.",
            "Completed a team project rated by a workplace mentor.",
        ),
        achievement(
            "workforce",
            "critical-thinking",
            "Critical Thinking Micro-credential",
            "MicroCredential",
            ("Critical thinking", "Creative problem solving"),
            "Analysing problems, weighing evidence and proposing solutions.",
            "Passed two scenario-based assessments.",
        ),
        achievement(
            "college",
            "hvac-1",
            "HVAC Technician Level 1",
            "Certificate",
            ("HVAC",),
            "Heating, ventilation and air conditioning installation basics.",
            "Completed the shop hours and passed the practical exam.",
        ),
    )
}

CNA_PATHWAY = PathwayDefinition(
    pathway_id="demo-cna",
    name="Certified Nursing Assistant pathway",
    target_role="Certified Nursing Assistant",
    target_occupation_codes=["31-1131.00"],
    steps=[
        PathwayStep(
            step_id="health-careers",
            name="Explore health careers",
            achievements=["Introduction to Health Careers"],
        ),
        PathwayStep(
            step_id="cpr",
            name="CPR certification",
            achievements=["CPR and First Aid"],
            skills=["skillbeacon:cpr"],
        ),
        PathwayStep(
            step_id="infection-control",
            name="Infection control",
            achievements=["Infection Control Basics"],
        ),
        PathwayStep(
            step_id="vital-signs",
            name="Vital signs",
            achievements=["Vital Signs Skills Check"],
            skills=["Vital signs"],
        ),
        PathwayStep(
            step_id="clinical-practicum",
            name="Clinical practicum",
            achievements=["Nurse Aide Clinical Practicum"],
        ),
    ],
)

IT_SUPPORT_PATHWAY = PathwayDefinition(
    pathway_id="demo-it-support",
    name="IT Support Specialist pathway",
    target_role="IT Support Specialist",
    target_occupation_codes=["15-1232.00"],
    steps=[
        PathwayStep(
            step_id="hardware",
            name="Computer hardware",
            achievements=["Computer Hardware Fundamentals"],
        ),
        PathwayStep(
            step_id="networking",
            name="Networking",
            achievements=["Networking Essentials"],
            skills=["skillbeacon:computer-networking"],
        ),
        PathwayStep(
            step_id="linux",
            name="Linux",
            achievements=["Linux Command Line"],
            skills=["Linux"],
        ),
        PathwayStep(
            step_id="security",
            name="Security basics",
            achievements=["Cybersecurity Foundations"],
        ),
        PathwayStep(
            step_id="help-desk",
            name="Help desk practice",
            achievements=["Help Desk Practicum"],
        ),
    ],
)

PATHWAYS = (CNA_PATHWAY, IT_SUPPORT_PATHWAY)

# Achievements of each track, in the order a learner earns them. The health
# and IT tracks follow their pathway's steps.
TRACKS: dict[str, tuple[str, ...]] = {
    "health": tuple(step.achievements[0] for step in CNA_PATHWAY.steps),
    "it": tuple(step.achievements[0] for step in IT_SUPPORT_PATHWAY.steps),
    "software": (
        "Intro to Programming with Python",
        "Databases and SQL",
        "Web Development with JavaScript",
        "Java Programming I",
        "C++ Programming",
        "C# and .NET Application Development",
    ),
    "trades": ("HVAC Technician Level 1",),
}
TRACK_PATHWAY = {"health": CNA_PATHWAY, "it": IT_SUPPORT_PATHWAY}

# Achievements a learner on any track may also hold.
GENERAL_ACHIEVEMENTS = (
    "Workplace Readiness: Teamwork",
    "Critical Thinking Micro-credential",
    "CPR and First Aid",
)

# Achievements a high school student on a track can earn before graduating.
HIGH_SCHOOL_ACHIEVEMENTS: dict[str, tuple[str, ...]] = {
    "health": ("Introduction to Health Careers", "CPR and First Aid"),
    "it": ("Computer Hardware Fundamentals", "Intro to Programming with Python"),
    "software": ("Intro to Programming with Python",),
    "trades": ("CPR and First Aid",),
}

SELF_REPORTED_SKILLS = (
    "Customer service",
    "Spanish",
    "Teamwork",
    "Microsoft Excel",
    "Public speaking",
    "Python",
    "Bilingual (English and Vietnamese)",
    "Forklift operation",
)

FIRST_NAMES = (
    "Ana", "Ben", "Carmen", "Darius", "Elena", "Farah", "Gabriel", "Hana",
    "Isaac", "Jade", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya",
    "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera", "Wes", "Ximena",
    "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Alvarez", "Brooks", "Chen", "Diallo", "Evans", "Fischer", "Garcia",
    "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Mensah", "Nguyen",
    "Okafor", "Patel", "Reyes", "Santos", "Tran", "Walker",
)  # fmt: skip

# (city, state) pairs; every demo learner lives in the United States.
CITIES = (
    ("Dayton", "OH"),
    ("Columbus", "OH"),
    ("Toledo", "OH"),
    ("Fort Wayne", "IN"),
    ("Louisville", "KY"),
    ("Lexington", "KY"),
    ("Ann Arbor", "MI"),
)
HIGH_SCHOOLS = ("Northgate High School", "Lincoln High School", "Eastview Academy")
