"""The analyte table: vitals, body measures and common laboratory analytes.

One row per analyte: canonical key, category, canonical unit, synonyms (``|``-separated; a leading
``=`` marks a case-sensitive abbreviation such as ``=K`` or ``=HR``, a leading
``~`` a cue that only counts next to a number, such as ``~weighs``), adult reference range in the
canonical unit (``ref``; ``ref_m``/``ref_f`` when it differs by sex), molar mass (g/mol) and valence
where mass <-> molar <-> equivalent conversions are standard, and ``abs_tol``, the absolute tolerance
for "same value" comparisons on top of the relative one.

Reference ranges follow the conventional adult ranges of the USMLE laboratory-values table
(rounded); ``adult_only`` ranges (vitals) are not applied to patients younger than 18 years.
This file is hand-written project data (Apache-2.0 like the rest of the project).
"""

from __future__ import annotations

from typing import Any


def A(key: str, category: str, unit: str, syn: str = "", **kw: Any) -> dict[str, Any]:
    """One analyte row (a compact constructor so the table reads as a table)."""
    return {"key": key, "category": category, "unit": unit, "synonyms": syn, **kw}


ANALYTES: list[dict[str, Any]] = [
    # ---- vital signs -------------------------------------------------------------------------
    A("temperature", "vital", "°C", "temp|body temperature|=T|=Temp|=Tmax|tmax|core temperature|"
      "rectal temperature|oral temperature|axillary temperature|~febrile to|~fever of|~fever to|"
      "~temperature of", ref=(36.0, 37.9), abs_tol=0.15),
    A("heart rate", "vital", "/min", "pulse|pulse rate|=HR|heart rate|=P|=PR|heartbeat|"
      "ventricular rate|~tachycardic to|~tachycardia to|~bradycardic to|~bradycardia to|"
      "~tachycardic at|~pulse of", ref=(60, 100), adult_only=True, abs_tol=1),
    A("blood pressure", "vital", "mm Hg", "=BP|bp|blood pressure|arterial pressure|"
      "arterial blood pressure|blood pressures|b.p.|~hypotensive to|~hypertensive to|"
      "~hypotensive at|~hypertensive at", pair=True, abs_tol=1),
    A("systolic blood pressure", "vital", "mm Hg", "systolic|sbp|=SBP|systolic pressure|"
      "systolic blood pressure", ref=(90, 139), adult_only=True, abs_tol=1),
    A("diastolic blood pressure", "vital", "mm Hg", "diastolic|dbp|=DBP|diastolic pressure|"
      "diastolic blood pressure", ref=(60, 89), adult_only=True, abs_tol=1),
    A("mean arterial pressure", "vital", "mm Hg", "=MAP|mean arterial pressure|mean arterial blood "
      "pressure", ref=(70, 105), abs_tol=1),
    A("respiratory rate", "vital", "/min", "respirations|respiration|=RR|respiratory rate|=R|=RESP|"
      "resp rate|breathing rate|respiration rate|~tachypneic to|~tachypneic at|~breaths",
      ref=(12, 20), adult_only=True, abs_tol=1),
    A("oxygen saturation", "vital", "%", "=SpO2|spo2|=SaO2|sao2|o2 sat|o2 saturation|=O2 sat|"
      "oxygen saturation|pulse oximetry|oximetry|saturation|~saturating|sats|saturations|"
      "oxygen saturations|~satting|arterial oxygen saturation", ref=(95, 100), abs_tol=0.5),
    A("pain score", "vital", "ratio", "pain score|pain scale|pain intensity"),
    A("glasgow coma scale", "vital", "ratio", "=GCS|glasgow coma scale|glasgow coma score|"
      "glasgow score|gcs score", ref=(15, 15)),
    A("apgar score", "vital", "ratio", "apgar|apgar score|apgar scores", ref=(7, 10)),
    # ---- body measures -----------------------------------------------------------------------
    A("weight", "body", "kg", "weight|body weight|~weighs|~weighing|=Wt|wt|birth weight|"
      "birthweight", abs_tol=0.5),
    A("height", "body", "cm", "height|=Ht|stature|~length|~tall|body length", abs_tol=1),
    A("body mass index", "body", "kg/m2", "=BMI|bmi|body mass index|body-mass index",
      ref=(18.5, 24.9), adult_only=True, abs_tol=0.2),
    A("head circumference", "body", "cm", "head circumference|occipitofrontal circumference|=OFC",
      abs_tol=0.5),
    A("waist circumference", "body", "cm", "waist circumference|~waist", abs_tol=1),
    A("fundal height", "body", "cm", "fundal height|fundus height|uterine fundal height", abs_tol=1),
    A("gestational age", "body", "week", "gestational age|weeks' gestation|weeks gestation|"
      "weeks of gestation|~gestation", abs_tol=0.5),
    A("ejection fraction", "cardiac", "%", "ejection fraction|=EF|=LVEF|lvef|left ventricular "
      "ejection fraction", ref=(55, 70), abs_tol=1),
    A("jugular venous pressure", "vital", "cm H2O", "=JVP|jvp|jugular venous pressure|"
      "~jugular venous distension to", abs_tol=0.5),
    A("central venous pressure", "vital", "mm Hg", "=CVP|central venous pressure", ref=(2, 8)),
    A("pulmonary capillary wedge pressure", "cardiac", "mm Hg", "=PCWP|pcwp|wedge pressure|"
      "pulmonary capillary wedge pressure|pulmonary wedge pressure", ref=(6, 12)),
    A("intraocular pressure", "vital", "mm Hg", "=IOP|intraocular pressure", ref=(10, 21)),
    A("peak expiratory flow", "pulmonary", "L/min", "peak expiratory flow|=PEF|peak flow|=PEFR"),
    A("fev1", "pulmonary", "%", "=FEV1|fev1|fev 1|forced expiratory volume in 1 second|"
      "forced expiratory volume"),
    A("fev1/fvc ratio", "pulmonary", "%", "fev1/fvc|fev1:fvc|fev1/fvc ratio|fev1 / fvc",
      ref=(70, 100)),
    A("fvc", "pulmonary", "%", "=FVC|fvc|forced vital capacity"),
    A("dlco", "pulmonary", "%", "=DLCO|dlco|diffusing capacity|diffusion capacity"),
    A("qt interval", "cardiac", "ms", "qt interval|=QTc|qtc|corrected qt|qt"),
    A("pr interval", "cardiac", "ms", "pr interval"),
    A("qrs duration", "cardiac", "ms", "qrs duration|qrs interval|qrs width"),
    A("urine output", "renal", "mL", "urine output|urinary output|urine volume"),
    A("pack-years", "history", "pack-year", "pack-year smoking history|~smoking history of|"
      "pack-year history|pack-years"),
    # ---- complete blood count ----------------------------------------------------------------
    A("hemoglobin", "cbc", "g/dL", "=Hb|hb|hgb|=Hgb|haemoglobin|hemoglobin|hemoglobin level|"
      "hemoglobin concentration|haemoglobin level|serum hemoglobin", ref_m=(13.5, 17.5),
      ref_f=(12.0, 16.0), molar_mass=16114.5, abs_tol=0.1),
    A("hematocrit", "cbc", "%", "=Hct|hct|haematocrit|hematocrit|packed cell volume|=PCV",
      ref_m=(41, 53), ref_f=(36, 46), abs_tol=0.5),
    A("leukocyte count", "cbc", "/mm3", "leukocyte count|leukocytes|white blood cell count|"
      "white blood cells|white cell count|=WBC|wbc|wbc count|=WBCs|white count|total leukocyte "
      "count|=TLC|leucocyte count|total white cell count|wbcs|white blood cell|leukocyte",
      ref=(4500, 11000), abs_tol=50),
    A("platelet count", "cbc", "/mm3", "platelet count|platelets|=Plt|plt|platelet|"
      "thrombocyte count|=PLT", ref=(150000, 400000), abs_tol=500),
    A("erythrocyte count", "cbc", "×10^6/mm3", "erythrocyte count|red blood cell count|=RBC|"
      "rbc count|red cell count|erythrocytes", ref_m=(4.3, 5.9), ref_f=(3.5, 5.5), abs_tol=0.05),
    A("mean corpuscular volume", "cbc", "fL", "mean corpuscular volume|=MCV|mcv|"
      "mean cell volume|mean corpuscular volume (mcv)", ref=(80, 100), abs_tol=0.5),
    A("mean corpuscular hemoglobin", "cbc", "pg", "mean corpuscular hemoglobin|=MCH|"
      "mean cell hemoglobin", ref=(25, 35), abs_tol=0.5),
    A("mean corpuscular hemoglobin concentration", "cbc", "%", "mean corpuscular hemoglobin "
      "concentration|=MCHC|mchc|mean cell hemoglobin concentration", ref=(31, 36), abs_tol=0.5),
    A("red cell distribution width", "cbc", "%", "red cell distribution width|=RDW|rdw|"
      "red blood cell distribution width", ref=(11.5, 14.5), abs_tol=0.2),
    A("reticulocyte count", "cbc", "%", "reticulocyte count|reticulocytes|retic count|"
      "reticulocyte|corrected reticulocyte count|reticulocyte index", ref=(0.5, 1.5), abs_tol=0.1),
    A("neutrophils", "cbc", "%", "segmented neutrophils|neutrophils|=PMNs|pmns|polymorphonuclear "
      "leukocytes|polymorphs|segs|neutrophil count|absolute neutrophil count|=ANC|neutrophil",
      ref=(54, 62), abs_tol=0.5),
    A("band forms", "cbc", "%", "bands|band forms|band neutrophils|bandemia", ref=(3, 5)),
    A("lymphocytes", "cbc", "%", "lymphocytes|lymphocyte count|lymphs|absolute lymphocyte count",
      ref=(25, 33), abs_tol=0.5),
    A("monocytes", "cbc", "%", "monocytes|monocyte count", ref=(3, 7), abs_tol=0.5),
    A("eosinophils", "cbc", "%", "eosinophils|eosinophil count|eos|absolute eosinophil count",
      ref=(1, 3), abs_tol=0.5),
    A("basophils", "cbc", "%", "basophils|basophil count", ref=(0, 0.75), abs_tol=0.25),
    A("atypical lymphocytes", "cbc", "%", "atypical lymphocytes"),
    A("blasts", "cbc", "%", "blasts|blast cells|myeloblasts", ref=(0, 0)),
    A("cd4+ t-lymphocyte count", "immunology", "/mm3", "cd4+ t-lymphocyte count|cd4+ count|"
      "cd4 count|cd4+ t-cell count|cd4+ cell count|cd4 cell count|cd4+ t lymphocyte count|"
      "cd4+ lymphocyte count|cd4 t-cell count", ref=(500, 1500), abs_tol=5),
    A("hiv viral load", "immunology", "ratio", "viral load|hiv viral load|hiv rna"),
    A("erythrocyte sedimentation rate", "inflammation", "mm/h", "erythrocyte sedimentation rate|"
      "=ESR|esr|sed rate|sedimentation rate", ref_m=(0, 15), ref_f=(0, 20), abs_tol=1),
    A("c-reactive protein", "inflammation", "mg/L", "c-reactive protein|=CRP|crp|c reactive "
      "protein|hs-crp", ref=(0, 10), abs_tol=0.5),
    A("procalcitonin", "inflammation", "ng/mL", "procalcitonin", ref=(0, 0.5)),
    # ---- electrolytes and renal --------------------------------------------------------------
    A("sodium", "chemistry", "mEq/L", "sodium|=Na|=Na+|na+|serum sodium|sodium level|"
      "=Na⁺|plasma sodium|na", ref=(136, 145), molar_mass=22.99, valence=1, abs_tol=0.5),
    A("potassium", "chemistry", "mEq/L", "potassium|=K|=K+|k+|serum potassium|potassium level|"
      "=K⁺|plasma potassium", ref=(3.5, 5.0), molar_mass=39.098, valence=1, abs_tol=0.05),
    A("chloride", "chemistry", "mEq/L", "chloride|=Cl|=Cl-|=Cl−|cl-|cl−|serum chloride|"
      "chloride level", ref=(95, 105), molar_mass=35.45, valence=1, abs_tol=0.5),
    A("bicarbonate", "chemistry", "mEq/L", "bicarbonate|=HCO3|=HCO3-|=HCO3−|hco3-|hco3−|hco3|"
      "=HCO3–|hco3–|serum bicarbonate|bicarbonate level|total co2|=CO2|tco2|co2 content|"
      "hco3 −", ref=(22, 28), molar_mass=61.017, valence=1, abs_tol=0.5),
    A("urea nitrogen", "chemistry", "mg/dL", "blood urea nitrogen|=BUN|bun|urea nitrogen|"
      "serum urea nitrogen|urea|blood urea|serum urea|urea nitrogen level", ref=(7, 18),
      molar_mass=28.014, abs_tol=0.5),
    A("creatinine", "chemistry", "mg/dL", "creatinine|=Cr|cr|serum creatinine|creatinine level|"
      "=Creat|creat|plasma creatinine|scr", ref=(0.6, 1.2), molar_mass=113.12, abs_tol=0.05),
    A("glucose", "chemistry", "mg/dL", "glucose|blood glucose|serum glucose|plasma glucose|"
      "blood sugar|glucose level|fasting glucose|fasting blood glucose|fasting plasma glucose|"
      "random blood glucose|random glucose|fingerstick glucose|=FBG|=FPG|=RBS|=BGL|"
      "capillary blood glucose|blood glucose level|fingerstick blood glucose|glycemia|"
      "=BSL|point-of-care glucose", ref=(70, 140), molar_mass=180.16, abs_tol=1),
    A("calcium", "chemistry", "mg/dL", "calcium|=Ca|=Ca2+|ca2+|ca++|=Ca++|serum calcium|"
      "total calcium|calcium level|ca 2+|ca²⁺|=Ca²⁺|corrected calcium", ref=(8.4, 10.2),
      molar_mass=40.078, valence=2, abs_tol=0.1),
    A("ionized calcium", "chemistry", "mmol/L", "ionized calcium|ionised calcium|free calcium",
      ref=(1.12, 1.32), molar_mass=40.078, valence=2),
    A("magnesium", "chemistry", "mg/dL", "magnesium|=Mg|=Mg2+|mg2+|mg++|=Mg++|serum magnesium|"
      "magnesium level|mg²⁺", ref=(1.5, 2.0), molar_mass=24.305, valence=2, abs_tol=0.05),
    A("phosphorus", "chemistry", "mg/dL", "phosphorus|phosphate|=PO4|po4|=PO43-|po43−|"
      "inorganic phosphorus|serum phosphate|serum phosphorus|phosphorus (inorganic)|phos",
      ref=(3.0, 4.5), molar_mass=30.974, abs_tol=0.05),
    A("anion gap", "chemistry", "mEq/L", "anion gap|=AG|serum anion gap", ref=(7, 16), abs_tol=0.5),
    A("osmolality", "chemistry", "mOsm/kg", "osmolality|serum osmolality|plasma osmolality|"
      "osmolarity|serum osmolarity|plasma osmolarity|=Sosm|calculated osmolality",
      ref=(275, 295), abs_tol=1),
    A("osmolal gap", "chemistry", "mOsm/kg", "osmolal gap|osmolar gap|osmol gap", ref=(0, 10)),
    A("uric acid", "chemistry", "mg/dL", "uric acid|urate|serum uric acid|serum urate",
      ref=(3.0, 8.2), molar_mass=168.11, abs_tol=0.1),
    A("lactate", "chemistry", "mmol/L", "lactate|lactic acid|serum lactate|blood lactate|"
      "lactate level", ref=(0.5, 2.2), molar_mass=90.08, abs_tol=0.1),
    A("ammonia", "chemistry", "µg/dL", "ammonia|=NH3|nh3|serum ammonia|blood ammonia|"
      "ammonia level", ref=(11, 60), molar_mass=17.031, abs_tol=1),
    A("estimated glomerular filtration rate", "renal", "mL/min/1.73 m2", "=eGFR|egfr|"
      "estimated glomerular filtration rate|glomerular filtration rate|=GFR|gfr",
      ref=(90, 200), abs_tol=1),
    A("creatinine clearance", "renal", "mL/min", "creatinine clearance|=CrCl|crcl",
      ref=(90, 140)),
    A("bun/creatinine ratio", "renal", "ratio", "bun/creatinine ratio|bun:creatinine ratio|"
      "bun:cr|bun/cr|bun:creatinine|bun to creatinine ratio", ref=(10, 20)),
    A("fractional excretion of sodium", "renal", "%", "fractional excretion of sodium|=FENa|fena|"
      "fe na"),
    # ---- liver and pancreas ------------------------------------------------------------------
    A("total protein", "liver", "g/dL", "total protein|serum protein|protein, total|"
      "total serum protein", ref=(6.0, 7.8), abs_tol=0.1),
    A("albumin", "liver", "g/dL", "albumin|serum albumin|=Alb|alb|albumin level",
      ref=(3.5, 5.5), abs_tol=0.1),
    A("globulin", "liver", "g/dL", "globulin|globulins|serum globulin", ref=(2.0, 3.5)),
    A("total bilirubin", "liver", "mg/dL", "bilirubin|total bilirubin|bilirubin, total|"
      "serum bilirubin|=TBil|tbili|t bili|bilirubin (total)|bilirubin total|total serum bilirubin",
      ref=(0.1, 1.0), molar_mass=584.66, abs_tol=0.05),
    A("direct bilirubin", "liver", "mg/dL", "direct bilirubin|conjugated bilirubin|"
      "bilirubin, direct|bilirubin (direct)|dbil|direct serum bilirubin", ref=(0.0, 0.3),
      molar_mass=584.66, abs_tol=0.05),
    A("indirect bilirubin", "liver", "mg/dL", "indirect bilirubin|unconjugated bilirubin|"
      "bilirubin, indirect", ref=(0.1, 0.7), molar_mass=584.66, abs_tol=0.05),
    A("aspartate aminotransferase", "liver", "U/L", "aspartate aminotransferase|=AST|ast|"
      "aspartate transaminase|=SGOT|sgot|aspartate aminotransferase (ast)|ast (sgot)|"
      "aspartate aminotransferase (ast, got)", ref=(12, 38), abs_tol=1),
    A("alanine aminotransferase", "liver", "U/L", "alanine aminotransferase|=ALT|alt|"
      "alanine transaminase|=SGPT|sgpt|alanine aminotransferase (alt)|alt (sgpt)",
      ref=(10, 40), abs_tol=1),
    A("alkaline phosphatase", "liver", "U/L", "alkaline phosphatase|=ALP|alp|alk phos|"
      "alkaline phosphatase (alp)|=SAP|serum alkaline phosphatase", ref=(25, 100), abs_tol=1),
    A("gamma-glutamyltransferase", "liver", "U/L", "gamma-glutamyltransferase|=GGT|ggt|"
      "gamma-glutamyl transferase|γ-glutamyltransferase|gamma glutamyl transferase|"
      "γ-glutamyl transferase|=GGTP|gamma-glutamyl transpeptidase", ref=(9, 50), abs_tol=1),
    A("amylase", "pancreas", "U/L", "amylase|serum amylase|amylase level", ref=(25, 125),
      abs_tol=1),
    A("lipase", "pancreas", "U/L", "lipase|serum lipase|lipase level", ref=(13, 60), abs_tol=1),
    A("lactate dehydrogenase", "chemistry", "U/L", "lactate dehydrogenase|=LDH|ldh|"
      "lactic dehydrogenase|=LD", ref=(45, 200), abs_tol=1),
    A("creatine kinase", "chemistry", "U/L", "creatine kinase|=CK|creatine phosphokinase|=CPK|"
      "cpk|ck|creatine kinase (ck)|total ck", ref_m=(25, 90), ref_f=(10, 70), abs_tol=1),
    A("ck-mb", "cardiac", "ng/mL", "ck-mb|=CK-MB|creatine kinase-mb|ckmb|creatine kinase mb"),
    # ---- cardiac -----------------------------------------------------------------------------
    A("troponin", "cardiac", "ng/mL", "troponin|troponin i|troponin t|cardiac troponin|"
      "=TnI|=TnT|tni|tnt|hs-troponin|high-sensitivity troponin|troponin level|"
      "cardiac troponins", ref=(0, 0.04), abs_tol=0.005),
    A("brain natriuretic peptide", "cardiac", "pg/mL", "brain natriuretic peptide|=BNP|bnp|"
      "b-type natriuretic peptide|nt-probnp|=NT-proBNP|n-terminal pro-bnp", ref=(0, 100),
      abs_tol=1),
    A("digoxin level", "drug level", "ng/mL", "digoxin level|serum digoxin|digoxin concentration",
      ref=(0.8, 2.0)),
    # ---- lipids ------------------------------------------------------------------------------
    A("total cholesterol", "lipid", "mg/dL", "total cholesterol|cholesterol|serum cholesterol|"
      "cholesterol, total|=TC|cholesterol level|total serum cholesterol", ref=(0, 200),
      molar_mass=386.65, abs_tol=1),
    A("ldl cholesterol", "lipid", "mg/dL", "ldl cholesterol|=LDL|ldl|low-density lipoprotein|"
      "low density lipoprotein|ldl-c|low-density lipoprotein cholesterol|=LDL-C|ldl level|"
      "low-density lipoprotein (ldl)", ref=(0, 130), molar_mass=386.65, abs_tol=1),
    A("hdl cholesterol", "lipid", "mg/dL", "hdl cholesterol|=HDL|hdl|high-density lipoprotein|"
      "high density lipoprotein|hdl-c|high-density lipoprotein cholesterol|=HDL-C|hdl level",
      ref=(40, 200), molar_mass=386.65, abs_tol=1),
    A("triglycerides", "lipid", "mg/dL", "triglycerides|triglyceride|=TG|tgs|serum triglycerides|"
      "triglyceride level|triacylglycerols", ref=(0, 150), molar_mass=885.7, abs_tol=1),
    A("lipoprotein(a)", "lipid", "mg/dL", "lipoprotein(a)|lipoprotein a|lp(a)"),
    # ---- iron, vitamins ----------------------------------------------------------------------
    A("serum iron", "iron", "µg/dL", "serum iron|iron level|iron|=Fe|fe|plasma iron",
      ref_m=(65, 175), ref_f=(50, 170), molar_mass=55.845, abs_tol=1),
    A("ferritin", "iron", "ng/mL", "ferritin|serum ferritin|ferritin level", ref_m=(20, 250),
      ref_f=(10, 120), abs_tol=1),
    A("total iron-binding capacity", "iron", "µg/dL", "total iron-binding capacity|=TIBC|tibc|"
      "total iron binding capacity|iron-binding capacity|iron binding capacity", ref=(250, 400),
      molar_mass=55.845, abs_tol=1),
    A("transferrin saturation", "iron", "%", "transferrin saturation|iron saturation|"
      "=TSAT|tsat|saturation of transferrin", ref=(20, 50), abs_tol=1),
    A("transferrin", "iron", "mg/dL", "transferrin|serum transferrin", ref=(200, 360)),
    A("vitamin b12", "vitamin", "pg/mL", "vitamin b12|b12|cobalamin|cyanocobalamin level|"
      "serum b12|vitamin b12 level|=B12", ref=(200, 800), abs_tol=1),
    A("folate", "vitamin", "ng/mL", "folate|folic acid level|serum folate|rbc folate|"
      "folate level", ref=(2.5, 20)),
    A("25-hydroxyvitamin d", "vitamin", "ng/mL", "25-hydroxyvitamin d|vitamin d|"
      "25-oh vitamin d|25(oh)d|25-hydroxy vitamin d|vitamin d level|calcidiol",
      ref=(20, 100), molar_mass=400.64),
    A("1,25-dihydroxyvitamin d", "vitamin", "pg/mL", "1,25-dihydroxyvitamin d|calcitriol|"
      "1,25-(oh)2 vitamin d|1,25-dihydroxycholecalciferol", ref=(15, 75)),
    A("methylmalonic acid", "vitamin", "µmol/L", "methylmalonic acid|=MMA", ref=(0, 0.4)),
    A("homocysteine", "vitamin", "µmol/L", "homocysteine|serum homocysteine", ref=(4, 15)),
    A("haptoglobin", "hemolysis", "mg/dL", "haptoglobin|serum haptoglobin", ref=(30, 200)),
    A("hemoglobin a1c", "endocrine", "%", "hemoglobin a1c|=HbA1c|hba1c|=A1c|a1c|hb a1c|"
      "glycated hemoglobin|glycosylated hemoglobin|glycohemoglobin|hgba1c|=HgbA1c|"
      "haemoglobin a1c|hemoglobin a1c level", ref=(4.0, 5.6), abs_tol=0.05),
    A("fetal hemoglobin", "cbc", "%", "fetal hemoglobin|=HbF|hbf|hemoglobin f", ref=(0, 2)),
    A("hemoglobin a2", "cbc", "%", "hemoglobin a2|=HbA2|hba2", ref=(1.5, 3.5)),
    A("hemoglobin s", "cbc", "%", "hemoglobin s|=HbS|hbs"),
    # ---- coagulation -------------------------------------------------------------------------
    A("prothrombin time", "coagulation", "sec", "prothrombin time|=PT|prothrombin time (pt)|"
      "pro time|protime", ref=(11, 15), abs_tol=0.2),
    A("international normalized ratio", "coagulation", "ratio", "international normalized ratio|"
      "=INR|inr|international normalised ratio", ref=(0.8, 1.2), abs_tol=0.05),
    A("partial thromboplastin time", "coagulation", "sec", "partial thromboplastin time|=PTT|"
      "ptt|=aPTT|aptt|activated partial thromboplastin time|partial thromboplastin time "
      "(activated)|activated ptt", ref=(25, 40), abs_tol=0.5),
    A("thrombin time", "coagulation", "sec", "thrombin time|=TT", ref=(12, 19)),
    A("bleeding time", "coagulation", "min", "bleeding time", ref=(2, 7)),
    A("fibrinogen", "coagulation", "mg/dL", "fibrinogen|serum fibrinogen|plasma fibrinogen",
      ref=(200, 400), abs_tol=1),
    A("d-dimer", "coagulation", "ng/mL", "d-dimer|d dimer|ddimer|=D-dimer", ref=(0, 500)),
    A("factor viii activity", "coagulation", "%", "factor viii activity|factor viii|"
      "factor 8 activity", ref=(50, 150)),
    # ---- blood gas ---------------------------------------------------------------------------
    A("ph", "blood gas", "ratio", "=pH|arterial ph|blood ph|serum ph|ph|=PH|arterial blood ph",
      ref=(7.35, 7.45), abs_tol=0.005),
    A("arterial pco2", "blood gas", "mm Hg", "=PaCO2|paco2|=Pco2|pco2|=PCO2|=pCO2|"
      "partial pressure of carbon dioxide|arterial carbon dioxide tension|carbon dioxide tension|"
      "partial pressure of co2|arterial pco2|pa co2|p co2", ref=(33, 45), abs_tol=0.5),
    A("arterial po2", "blood gas", "mm Hg", "=PaO2|pao2|=Po2|po2|=PO2|=pO2|partial pressure of "
      "oxygen|arterial oxygen tension|oxygen tension|partial pressure of o2|arterial po2|pa o2|"
      "p o2", ref=(75, 105), abs_tol=0.5),
    A("a-a gradient", "blood gas", "mm Hg", "a-a gradient|alveolar-arterial gradient|"
      "alveolar-arterial oxygen gradient|a–a gradient|=A-a gradient|aa gradient", ref=(0, 15)),
    A("base excess", "blood gas", "mEq/L", "base excess|=BE|base deficit", ref=(-2, 2)),
    A("fio2", "blood gas", "%", "=FiO2|fio2|fraction of inspired oxygen|inspired oxygen fraction"),
    A("carboxyhemoglobin", "blood gas", "%", "carboxyhemoglobin|=COHb|cohb|carboxyhaemoglobin",
      ref=(0, 3)),
    A("methemoglobin", "blood gas", "%", "methemoglobin|methaemoglobin|=MetHb|methb",
      ref=(0, 1.5)),
    # ---- endocrine ---------------------------------------------------------------------------
    A("thyroid-stimulating hormone", "endocrine", "µU/mL", "thyroid-stimulating hormone|=TSH|tsh|"
      "thyroid stimulating hormone|thyrotropin|serum tsh|tsh level", ref=(0.4, 4.0),
      abs_tol=0.01),
    A("free thyroxine", "endocrine", "ng/dL", "free thyroxine|=FT4|ft4|free t4|"
      "thyroxine (free)|free t4 level", ref=(0.9, 1.7), abs_tol=0.05),
    A("total thyroxine", "endocrine", "µg/dL", "thyroxine|=T4|total t4|total thyroxine|"
      "serum thyroxine|thyroxine (t4)|t4 level", ref=(5, 12), molar_mass=776.87),
    A("triiodothyronine", "endocrine", "ng/dL", "triiodothyronine|=T3|total t3|"
      "triiodothyronine (t3)|serum t3|t3 level", ref=(100, 200)),
    A("free triiodothyronine", "endocrine", "pg/mL", "free t3|=FT3|ft3|free triiodothyronine",
      ref=(2.3, 4.2)),
    A("cortisol", "endocrine", "µg/dL", "cortisol|serum cortisol|morning cortisol|"
      "plasma cortisol|cortisol level|24-hour urinary cortisol|urinary free cortisol|"
      "8 am cortisol", ref=(5, 23), molar_mass=362.46, abs_tol=0.5),
    A("adrenocorticotropic hormone", "endocrine", "pg/mL", "adrenocorticotropic hormone|=ACTH|"
      "acth|corticotropin|plasma acth", ref=(7, 63)),
    A("aldosterone", "endocrine", "ng/dL", "aldosterone|plasma aldosterone|serum aldosterone",
      ref=(3, 16)),
    A("plasma renin activity", "endocrine", "ratio", "plasma renin activity|renin|=PRA|"
      "renin activity|plasma renin"),
    A("parathyroid hormone", "endocrine", "pg/mL", "parathyroid hormone|=PTH|pth|"
      "intact pth|parathormone|serum pth|pth level", ref=(10, 65), abs_tol=1),
    A("prolactin", "endocrine", "ng/mL", "prolactin|serum prolactin|=PRL|prolactin level",
      ref_m=(0, 15), ref_f=(0, 25)),
    A("growth hormone", "endocrine", "ng/mL", "growth hormone|=GH|somatotropin|serum gh",
      ref=(0, 5)),
    A("insulin-like growth factor 1", "endocrine", "ng/mL", "insulin-like growth factor 1|"
      "=IGF-1|igf-1|igf1|somatomedin c|insulin-like growth factor-1|insulin-like growth factor i"),
    A("insulin", "endocrine", "µU/mL", "serum insulin|insulin level|fasting insulin|"
      "plasma insulin", ref=(2, 25)),
    A("c-peptide", "endocrine", "ng/mL", "c-peptide|c peptide|serum c-peptide", ref=(0.8, 3.1)),
    A("follicle-stimulating hormone", "endocrine", "mIU/mL", "follicle-stimulating hormone|=FSH|"
      "fsh|follicle stimulating hormone|serum fsh"),
    A("luteinizing hormone", "endocrine", "mIU/mL", "luteinizing hormone|=LH|serum lh"),
    A("estradiol", "endocrine", "pg/mL", "estradiol|serum estradiol|=E2|oestradiol"),
    A("testosterone", "endocrine", "ng/dL", "testosterone|serum testosterone|total testosterone",
      ref_m=(300, 1000), ref_f=(20, 75)),
    A("progesterone", "endocrine", "ng/mL", "progesterone|serum progesterone"),
    A("dehydroepiandrosterone sulfate", "endocrine", "µg/dL", "dehydroepiandrosterone sulfate|"
      "=DHEA-S|dhea-s|dheas|dhea sulfate"),
    A("17-hydroxyprogesterone", "endocrine", "ng/dL", "17-hydroxyprogesterone|"
      "17-ohp|17-oh progesterone|17α-hydroxyprogesterone|17-ohprogesterone"),
    A("beta-hcg", "endocrine", "mIU/mL", "β-hcg|beta-hcg|=hCG|hcg|β-human chorionic gonadotropin|"
      "human chorionic gonadotropin|beta hcg|b-hcg|serum β-hcg|serum hcg|quantitative hcg|"
      "quantitative β-hcg|β-hcg level|beta-human chorionic gonadotropin"),
    A("metanephrines", "endocrine", "ratio", "metanephrines|plasma metanephrines|"
      "urinary metanephrines|plasma free metanephrines|normetanephrine|metanephrine"),
    A("vanillylmandelic acid", "endocrine", "mg/24 h", "vanillylmandelic acid|=VMA|"
      "urinary vma"),
    A("5-hydroxyindoleacetic acid", "endocrine", "mg/24 h", "5-hydroxyindoleacetic acid|=5-HIAA|"
      "5-hiaa|urinary 5-hiaa"),
    A("calcitonin", "endocrine", "pg/mL", "calcitonin|serum calcitonin", ref=(0, 10)),
    A("antidiuretic hormone", "endocrine", "pg/mL", "antidiuretic hormone|=ADH|vasopressin level|"
      "serum adh"),
    # ---- tumour markers, immunology ----------------------------------------------------------
    A("prostate-specific antigen", "tumor marker", "ng/mL", "prostate-specific antigen|=PSA|psa|"
      "prostate specific antigen|serum psa|psa level|total psa", ref=(0, 4), abs_tol=0.05),
    A("alpha-fetoprotein", "tumor marker", "ng/mL", "alpha-fetoprotein|=AFP|afp|"
      "α-fetoprotein|alpha fetoprotein|serum afp", ref=(0, 10)),
    A("carcinoembryonic antigen", "tumor marker", "ng/mL", "carcinoembryonic antigen|=CEA|cea",
      ref=(0, 3)),
    A("ca-125", "tumor marker", "U/mL", "ca-125|=CA-125|ca 125|ca125|cancer antigen 125",
      ref=(0, 35)),
    A("ca 19-9", "tumor marker", "U/mL", "ca 19-9|=CA 19-9|ca19-9|cancer antigen 19-9",
      ref=(0, 37)),
    A("immunoglobulin g", "immunology", "mg/dL", "immunoglobulin g|=IgG|igg|serum igg",
      ref=(650, 1500)),
    A("immunoglobulin a", "immunology", "mg/dL", "immunoglobulin a|=IgA|iga|serum iga",
      ref=(76, 390)),
    A("immunoglobulin m", "immunology", "mg/dL", "immunoglobulin m|=IgM|igm|serum igm",
      ref=(40, 345)),
    A("immunoglobulin e", "immunology", "IU", "immunoglobulin e|=IgE|ige|serum ige|total ige"),
    A("complement c3", "immunology", "mg/dL", "complement c3|c3 level|serum c3|=C3",
      ref=(90, 180)),
    A("complement c4", "immunology", "mg/dL", "complement c4|c4 level|serum c4|=C4",
      ref=(10, 40)),
    A("antinuclear antibody titer", "immunology", "ratio", "antinuclear antibody titer|ana titer"),
    A("antistreptolysin o titer", "immunology", "ratio", "antistreptolysin o titer|=ASO|"
      "aso titer|antistreptolysin o"),
    # ---- urine -------------------------------------------------------------------------------
    A("urine specific gravity", "urine", "ratio", "specific gravity|urine specific gravity|=SG|"
      "sp gr|urinary specific gravity", ref=(1.003, 1.030), abs_tol=0.001),
    A("urine ph", "urine", "ratio", "urine ph|urinary ph", ref=(4.5, 8.0)),
    A("urine osmolality", "urine", "mOsm/kg", "urine osmolality|urinary osmolality|"
      "urine osmolarity|urinary osmolarity|=Uosm|uosm", ref=(50, 1200)),
    A("urine sodium", "urine", "mEq/L", "urine sodium|urinary sodium|urine na+|urinary na+|"
      "=UNa|una|spot urine sodium|urine na", molar_mass=22.99, valence=1),
    A("urine potassium", "urine", "mEq/L", "urine potassium|urinary potassium|urine k+",
      molar_mass=39.098, valence=1),
    A("urine chloride", "urine", "mEq/L", "urine chloride|urinary chloride|urine cl-",
      molar_mass=35.45, valence=1),
    A("urine creatinine", "urine", "mg/dL", "urine creatinine|urinary creatinine",
      molar_mass=113.12),
    A("urine protein", "urine", "mg/24 h", "urine protein|urinary protein|~proteinuria of|"
      "24-hour urine protein|protein excretion|urinary protein excretion", ref=(0, 150)),
    A("urine albumin-to-creatinine ratio", "urine", "ratio", "albumin-to-creatinine ratio|"
      "albumin:creatinine ratio|urine albumin-to-creatinine ratio|=UACR|uacr|=ACR"),
    A("urine red blood cells", "urine", "/hpf", "rbc/hpf|red blood cells per high-power field|"
      "urine rbcs|urine red blood cells"),
    A("urine white blood cells", "urine", "/hpf", "wbc/hpf|urine wbcs|urine white blood cells|"
      "white blood cells per high-power field"),
    A("urine calcium", "urine", "mg/24 h", "urine calcium|urinary calcium|24-hour urine calcium|"
      "urinary calcium excretion"),
    # ---- cerebrospinal fluid and other fluids ------------------------------------------------
    A("csf opening pressure", "csf", "cm H2O", "opening pressure|csf opening pressure|"
      "cerebrospinal fluid pressure|csf pressure", ref=(7, 18)),
    A("csf protein", "csf", "mg/dL", "csf protein|cerebrospinal fluid protein|protein in csf",
      ref=(15, 45)),
    A("csf glucose", "csf", "mg/dL", "csf glucose|cerebrospinal fluid glucose|glucose in csf",
      ref=(40, 70), molar_mass=180.16),
    A("csf leukocyte count", "csf", "/mm3", "csf leukocyte count|csf white blood cell count|"
      "csf wbc|csf cell count|cerebrospinal fluid leukocyte count|csf leukocytes",
      ref=(0, 5)),
    A("pleural fluid protein", "fluid", "g/dL", "pleural fluid protein|pleural protein"),
    A("pleural fluid ldh", "fluid", "U/L", "pleural fluid ldh|pleural ldh|"
      "pleural fluid lactate dehydrogenase"),
    A("serum-ascites albumin gradient", "fluid", "g/dL", "serum-ascites albumin gradient|=SAAG|"
      "saag|serum ascites albumin gradient"),
    A("sweat chloride", "other", "mEq/L", "sweat chloride|sweat chloride concentration|"
      "sweat chloride test", ref=(0, 29)),
    # ---- toxicology and drug levels ----------------------------------------------------------
    A("blood alcohol concentration", "toxicology", "mg/dL", "blood alcohol concentration|"
      "blood alcohol level|=BAC|serum ethanol|ethanol level|blood ethanol|alcohol level|"
      "serum alcohol", ref=(0, 0), molar_mass=46.07),
    A("lithium level", "drug level", "mEq/L", "lithium level|serum lithium|lithium concentration",
      ref=(0.6, 1.2)),
    A("acetaminophen level", "drug level", "µg/mL", "acetaminophen level|serum acetaminophen|"
      "acetaminophen concentration|paracetamol level", ref=(10, 30)),
    A("salicylate level", "drug level", "mg/dL", "salicylate level|serum salicylate|"
      "salicylate concentration"),
    A("blood lead level", "toxicology", "µg/dL", "blood lead level|lead level|serum lead|"
      "blood lead|venous lead level", ref=(0, 5)),
    A("phenytoin level", "drug level", "µg/mL", "phenytoin level|serum phenytoin",
      ref=(10, 20)),
    A("vancomycin trough", "drug level", "µg/mL", "vancomycin trough|vancomycin level",
      ref=(10, 20)),
    # ---- misc chemistry ----------------------------------------------------------------------
    A("ceruloplasmin", "chemistry", "mg/dL", "ceruloplasmin|serum ceruloplasmin", ref=(20, 40)),
    A("serum copper", "chemistry", "µg/dL", "serum copper|copper level", ref=(70, 140)),
    A("zinc", "chemistry", "µg/dL", "serum zinc|zinc level", ref=(60, 120)),
    A("alpha-1 antitrypsin", "chemistry", "mg/dL", "alpha-1 antitrypsin|α1-antitrypsin|"
      "alpha1-antitrypsin|α1-antitrypsin level|alpha-1 antitrypsin level", ref=(100, 200)),
    A("beta-2 microglobulin", "chemistry", "mg/L", "beta-2 microglobulin|β2-microglobulin",
      ref=(0, 2.5)),
    A("anti-mullerian hormone", "endocrine", "ng/mL", "anti-mullerian hormone|=AMH|"
      "anti-müllerian hormone"),
    A("tryptase", "immunology", "ng/mL", "tryptase|serum tryptase", ref=(0, 11.5)),
    A("ethylene glycol level", "toxicology", "mg/dL", "ethylene glycol level|serum ethylene glycol"),
    A("serum ketones", "chemistry", "mmol/L", "serum ketones|beta-hydroxybutyrate|"
      "β-hydroxybutyrate|ketones|serum β-hydroxybutyrate", ref=(0, 0.6)),
    A("glucose-6-phosphate dehydrogenase activity", "hemolysis", "U/L",
      "glucose-6-phosphate dehydrogenase activity|g6pd activity|g6pd level"),
    A("adenosine deaminase", "chemistry", "U/L", "adenosine deaminase|=ADA"),
    A("erythropoietin", "endocrine", "mU/L", "erythropoietin|=EPO|serum erythropoietin|epo level",
      ref=(4, 26)),
    A("plasma renin-aldosterone ratio", "endocrine", "ratio", "aldosterone-to-renin ratio|"
      "aldosterone:renin ratio|aldosterone/renin ratio|=ARR"),
]
