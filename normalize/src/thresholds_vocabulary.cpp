// The thresholds vocabulary table. Adding a parameter, a name or a unit conversion is a row or a
// word here; the reader needs no change.
#include "thresholds_vocabulary.hpp"

#include <algorithm>
#include <charconv>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace trialmill::threshold_detail {
namespace {

constexpr double kDayYears = 1.0 / 365.25;
constexpr double kDayMonths = 1.0 / 30.4375;

// clang-format off
// name, canonical unit, implied unit, accepts, conversions, max, whole, aliases
constexpr ParameterSpec kParameters[] = {
    // ---- the patient ----
    {"AGE", "years", "years", "time",
     "months*0.0833333333 weeks*0.0191649555 days*0.0027378508 hours*0.0001140771", 150, false,
     "age|aged|ages"},
    {"LIFE_EXPECTANCY", "months", "", "time",
     "years*12 weeks*0.2299794661 days*0.0328542094 hours*0.0013689254", 0, false,
     "life expectancy|expected survival|expected survival time|estimated survival|"
     "estimated life expectancy|expected lifetime|survival expectancy|predicted survival|"
     "life expectation|expected life span|expected lifespan|anticipated life expectancy|"
     "estimated survival time|survival time|expected to survive|expected life expectancy|"
     "estimated life span|estimated lifespan|prognosis|life span|lifespan"},
    {"GESTATIONAL_AGE", "weeks", "weeks", "weeks days", "days*0.1428571429", 45, false,
     "gestational age|gestation|weeks gestation|weeks of gestation|gestational age at birth|"
     "!=GA|postmenstrual age|weeks' gestation"},
    {"BODY_WEIGHT", "kg", "", "kg g lbs", "g*0.001 lbs*0.45359237", 0, false,
     "body weight|weight|weighs|weigh|weighing|bodyweight|weight at screening"},
    {"BIRTH_WEIGHT", "g", "", "kg g lbs", "kg*1000 lbs*453.59237", 0, false,
     "birth weight|birthweight|birth weight of"},
    {"HEIGHT", "cm", "", "cm m mm", "m*100 mm*0.1", 0, false, "height|body height|stature"},
    {"BMI", "kg/m2", "kg/m2", "kg/m2", "", 0, false, "BMI|body mass index"},
    // ---- performance scales ----
    {"ECOG", "", "", "", "", 5, true,
     "ECOG|Eastern Cooperative Oncology Group|Zubrod|WHO performance status|ECOG PS|"
     "ECOG performance status"},
    {"KARNOFSKY", "%", "%", "%", "", 100, false,
     "Karnofsky|KPS|Karnofsky performance status|Karnofsky performance score|Karnofsky score|"
     "Karnofsky scale|Karnofsky index|Karnofsky performance scale"},
    {"LANSKY", "%", "%", "%", "", 100, false,
     "Lansky|Lansky play score|Lansky play-performance|Lansky play performance|"
     "Lansky performance status|Lansky score|Lansky scale|Lansky Play Scale|!=LPS"},
    // ---- vitals ----
    {"BLOOD_PRESSURE_SYSTOLIC", "mmHg", "mmHg", "mmHg", "", 0, false,
     "systolic blood pressure|systolic pressure|systolic BP|SBP|sBP|systolic"},
    {"BLOOD_PRESSURE_DIASTOLIC", "mmHg", "mmHg", "mmHg", "", 0, false,
     "diastolic blood pressure|diastolic pressure|diastolic BP|DBP|dBP|diastolic"},
    // "blood pressure ≥ 140/90 mmHg": systolic and diastolic (the reader splits it)
    {"BLOOD_PRESSURE", "mmHg", "mmHg", "mmHg", "", 0, false, "blood pressure|=BP|arterial pressure"},
    {"MEAN_ARTERIAL_PRESSURE", "mmHg", "mmHg", "mmHg", "", 0, false,
     "mean arterial pressure|mean arterial blood pressure|!=MAP"},
    {"HEART_RATE", "bpm", "bpm", "bpm", "", 0, false,
     "heart rate|pulse rate|resting heart rate|=HR|pulse"},
    {"RESPIRATORY_RATE", "/min", "/min", "/min bpm", "bpm*1", 0, false,
     "respiratory rate|respiration rate|!=RR"},
    {"TEMPERATURE", "°C", "°C", "°C °F", "°F*0.5555555556+-17.7777777778", 0, false,
     "temperature|body temperature|axillary temperature|oral temperature"},
    {"OXYGEN_SATURATION", "%", "%", "%", "", 100, false,
     "SpO2|SaO2|oxygen saturation|O2 saturation|oxygen saturations|peripheral oxygen saturation|"
     "arterial oxygen saturation|pulse oximetry"},
    // ---- blood counts ----
    {"HEMOGLOBIN", "g/dL", "", "*", "g/L*0.1 mmol/L*1.611 mg/dL*0.001", 0, false,
     "hemoglobin|haemoglobin|Hb|Hgb|hemoglobin level|haemoglobin level"},
    {"HEMATOCRIT", "%", "", "%", "", 100, false, "hematocrit|haematocrit|=HCT|=Hct"},
    {"WBC", "10^9/L", "", "*", "/mm3*0.001", 0, false,
     "WBC|white blood cell|white blood cells|white blood cell count|white blood count|"
     "white cell count|leukocyte count|leukocytes|leucocytes|leucocyte count|WBC count|"
     "total white blood cell|white blood cell (WBC) count"},
    {"ANC", "10^9/L", "", "*", "/mm3*0.001", 0, false,
     "ANC|absolute neutrophil count|absolute neutrophils count|absolute neutrophil|"
     "neutrophil count|neutrophils|neutrophil|neutrophil granulocytes|granulocyte count|"
     "granulocytes|absolute granulocyte count|AGC|neutrophil counts|absolute neutrophil counts"},
    {"NLR", "", "", "", "", 0, false,
     "neutrophil-to-lymphocyte ratio|neutrophil to lymphocyte ratio|NLR"},
    {"LYMPHOCYTES", "10^9/L", "", "*", "/mm3*0.001", 0, false,
     "lymphocyte count|absolute lymphocyte count|lymphocytes|=ALC|lymphocyte counts"},
    {"PLATELETS", "10^9/L", "", "*", "/mm3*0.001", 0, false,
     "PLT|platelet|platelets|platelet count|platelet counts|blood platelet|thrombocytes|"
     "thrombocyte count"},
    {"CD4_COUNT", "/mm3", "", "*", "10^9/L*1000", 0, false,
     "CD4|CD4 count|CD4+ count|CD4 cell count|CD4+ cell count|CD4+ T-cell count|CD4 T-cell count|"
     "CD4+ T cell count|CD4 lymphocyte count|CD4+ lymphocyte count"},
    {"CD4_PERCENT", "%", "", "%", "", 100, false, "CD4%|CD4 percent|CD4 percentage|CD4+ percentage"},
    // ---- liver ----
    {"BILIRUBIN", "mg/dL", "", "*", "µmol/L*0.0584795322", 0, false,
     "bilirubin|total bilirubin|serum bilirubin|TBIL|T-BIL|BIL|!=TB|serum total bilirubin"},
    {"DIRECT_BILIRUBIN", "mg/dL", "", "*", "µmol/L*0.0584795322", 0, false,
     "direct bilirubin|conjugated bilirubin"},
    {"ALT", "", "", "*", "", 0, false,
     "ALT|alanine aminotransferase|alanine transaminase|alanine amino transferase|SGPT|=GPT|"
     "glutamic pyruvic transaminase|serum glutamic pyruvic transaminase|"
     "serum glutamate pyruvate transaminase"},
    {"AST", "", "", "*", "", 0, false,
     "AST|aspartate aminotransferase|aspartate transaminase|aspartate amino transferase|SGOT|"
     "=GOT|glutamic oxaloacetic transaminase|serum glutamic oxaloacetic transaminase"},
    {"ALP", "", "", "*", "", 0, false, "alkaline phosphatase|ALP|AKP"},
    {"GGT", "", "", "*", "", 0, false, "GGT|gamma-glutamyl transferase|gamma glutamyl transferase"},
    {"ALBUMIN", "g/dL", "", "*", "g/L*0.1", 0, false, "albumin|serum albumin|ALB"},
    {"INR", "", "", "", "", 0, false,
     "INR|international normalized ratio|international normalised ratio|PT-INR"},
    {"APTT", "", "", "*", "", 0, false,
     "APTT|PTT|aPTT|activated partial thromboplastin time|partial thromboplastin time"},
    {"PROTHROMBIN_TIME", "", "", "*", "", 0, false, "prothrombin time|!=PT"},
    {"MELD", "", "", "", "", 0, false, "MELD|MELD score|Model for End-Stage Liver Disease"},
    // ---- kidney ----
    {"CREATININE", "mg/dL", "", "*", "µmol/L*0.0113122172 mg/L*0.1", 0, false,
     "creatinine|serum creatinine|=Cr|SCr|blood creatinine|creatinine level|creatinine levels"},
    {"CREATININE_CLEARANCE", "mL/min", "", "*", "mL/min/1.73m2*1", 0, false,
     "creatinine clearance|CrCl|CCr|CLcr|endogenous creatinine clearance|"
     "calculated creatinine clearance|estimated creatinine clearance|"
     "measured creatinine clearance|CrCL|creatinine clearance rate|CrC1"},
    {"GFR", "mL/min", "", "*", "mL/min/1.73m2*1", 0, false,
     "=eGFR|GFR|glomerular filtration rate|estimated glomerular filtration rate|e-GFR|"
     "estimated glomerular filteration rate|glomerular filteration rate|radioisotope GFR|"
     "estimated GFR|measured GFR"},
    {"BUN", "", "", "*", "", 0, false, "BUN|blood urea nitrogen|urea nitrogen"},
    {"URINE_PROTEIN_24H", "g/24h", "", "g mg g/24h mg/24h g/day mg/day",
     "mg*0.001 g*1 mg/24h*0.001 mg/day*0.001 g/day*1", 0, false,
     "24-hour urine protein|24 hour urine protein|24-hour urinary protein|24-h urine protein|"
     "24h urine protein|24-hour protein|24-hour proteinuria|proteinuria|urine protein|"
     "urinary protein|total 24-hour protein|24-hour urine protein excretion"},
    {"URINE_PROTEIN_DIPSTICK", "+", "", "+", "", 4, false, "urine protein|urinary protein|proteinuria"},
    {"UPCR", "", "", "*", "", 0, false,
     "urine protein-to-creatinine ratio|urine protein creatinine ratio|UPCR|"
     "urine protein to creatinine ratio"},
    // ---- electrolytes, metabolic ----
    {"POTASSIUM", "", "", "*", "", 0, false, "potassium|serum potassium"},
    {"SODIUM", "", "", "*", "", 0, false, "sodium|serum sodium"},
    {"CALCIUM", "", "", "*", "", 0, false, "calcium|serum calcium|corrected calcium"},
    {"MAGNESIUM", "", "", "*", "", 0, false, "magnesium|serum magnesium"},
    {"FASTING_GLUCOSE", "mg/dL", "", "*", "mmol/L*18.016", 0, false,
     "fasting blood glucose|fasting glucose|fasting plasma glucose|fasting blood sugar|FBG|FPG|"
     "fasting serum glucose"},
    {"OGTT_2H_GLUCOSE", "mg/dL", "", "*", "mmol/L*18.016", 0, false,
     "2-hour glucose|2 hour glucose|2-h glucose|2-hour plasma glucose|2 hour:|"
     "2-hour post-load glucose|2 h plasma glucose"},
    {"GLUCOSE", "mg/dL", "", "*", "mmol/L*18.016", 0, false, "blood glucose|glucose|blood sugar"},
    {"HBA1C", "%", "", "% mmol/mol", "", 0, false,
     "HbA1c|glycated hemoglobin|glycosylated hemoglobin|A1c|hemoglobin A1c|haemoglobin A1c|"
     "glycated haemoglobin|HgbA1c"},
    {"CHOLESTEROL", "mg/dL", "", "*", "mmol/L*38.67", 0, false, "total cholesterol|cholesterol"},
    {"LDL_CHOLESTEROL", "mg/dL", "", "*", "mmol/L*38.67", 0, false,
     "LDL|LDL-C|LDL cholesterol|low-density lipoprotein cholesterol"},
    {"HDL_CHOLESTEROL", "mg/dL", "", "*", "mmol/L*38.67", 0, false,
     "HDL|HDL-C|HDL cholesterol|high-density lipoprotein cholesterol"},
    {"TRIGLYCERIDES", "mg/dL", "", "*", "mmol/L*88.57", 0, false,
     "triglycerides|triglyceride|fasting triglycerides"},
    {"LDH", "", "", "*", "", 0, false, "LDH|lactate dehydrogenase"},
    {"LIPASE", "", "", "*", "", 0, false, "lipase|serum lipase"},
    {"AMYLASE", "", "", "*", "", 0, false, "amylase|serum amylase"},
    // ---- inflammatory markers, hormones, tumour markers ----
    {"CRP", "mg/L", "", "*", "mg/dL*10", 0, false,
     "CRP|C-reactive protein|hsCRP|hs-CRP|high sensitive C-reactive protein|"
     "high-sensitivity C-reactive protein|high sensitivity C-reactive protein"},
    {"ESR", "mm/h", "", "*", "", 0, false, "ESR|erythrocyte sedimentation rate"},
    {"PROCALCITONIN", "ng/mL", "", "*", "", 0, false, "procalcitonin|!=PCT"},
    {"INTERLEUKIN_6", "pg/mL", "", "*", "", 0, false, "IL-6|interleukin-6|interleukin 6"},
    {"FERRITIN", "ng/mL", "", "*", "µg/L*1", 0, false, "ferritin|serum ferritin"},
    {"TSH", "mIU/L", "", "*", "µIU/mL*1 uIU/mL*1", 0, false,
     "TSH|thyroid stimulating hormone|thyroid-stimulating hormone|thyrotropin"},
    {"FREE_T4", "", "", "*", "", 0, false, "free T4|FT4|free thyroxine"},
    {"TESTOSTERONE", "ng/dL", "", "*", "nmol/L*28.84", 0, false,
     "testosterone|serum testosterone|total testosterone"},
    {"ESTRADIOL", "pg/mL", "", "*", "pmol/L*0.2724", 0, false, "estradiol|oestradiol|!=E2"},
    {"FSH", "mIU/mL", "", "*", "IU/L*1", 0, false, "FSH|follicle stimulating hormone|follicle-stimulating hormone"},
    {"LH", "mIU/mL", "", "*", "IU/L*1", 0, false, "=LH|luteinizing hormone"},
    {"PROLACTIN", "ng/mL", "", "*", "", 0, false, "prolactin"},
    {"CORTISOL", "", "", "*", "", 0, false, "cortisol|serum cortisol"},
    {"HCG", "mIU/mL", "", "*", "IU/L*1", 0, false,
     "hCG|beta-hCG|β-hCG|human chorionic gonadotropin|beta human chorionic gonadotropin"},
    {"ERYTHROPOIETIN", "mU/mL", "", "*", "IU/L*1", 0, false,
     "erythropoietin|EPO|serum erythropoietin|erythropoietin level|blood erythropoietin"},
    {"PSA", "ng/mL", "", "*", "µg/L*1", 0, false,
     "PSA|prostate-specific antigen|prostate specific antigen|serum PSA"},
    {"CA125", "U/mL", "", "*", "", 0, false, "CA-125|CA125|CA 125"},
    {"CEA", "ng/mL", "", "*", "", 0, false, "CEA|carcinoembryonic antigen"},
    {"AFP", "ng/mL", "", "*", "", 0, false, "AFP|alpha-fetoprotein|alpha fetoprotein"},
    // ---- cardiac ----
    {"QTC", "ms", "ms", "ms", "", 0, false,
     "QTc|QTcF|QTcB|corrected QT interval|corrected QT|QT corrected|QTc interval|QTcF interval|"
     "corrected QT interval (QTc)|Fridericia-corrected QT"},
    {"QT_INTERVAL", "ms", "ms", "ms", "", 0, false, "QT interval|!=QT"},
    {"PR_INTERVAL", "ms", "ms", "ms", "", 0, false, "PR interval|!=PR"},
    {"QRS_DURATION", "ms", "ms", "ms", "", 0, false, "QRS duration|QRS|QRS interval|QRS width"},
    {"LVEF", "%", "%", "%", "", 100, false,
     "LVEF|left ventricular ejection fraction|ejection fraction|LV ejection fraction|!=EF|"
     "left ventricular EF|LV EF"},
    {"SHORTENING_FRACTION", "%", "%", "%", "", 100, false,
     "shortening fraction|fractional shortening|!=SF|!=FS"},
    {"SEPTAL_THICKNESS", "mm", "", "mm cm", "cm*10", 0, false,
     "septal thickness|interventricular septal thickness|interventricular septum|IVS thickness"},
    {"NT_PROBNP", "pg/mL", "", "*", "ng/L*1 pmol/L*8.457", 0, false,
     "NT-proBNP|NT-pro-BNP|NTproBNP|N-terminal pro-B-type natriuretic peptide|"
     "N-terminal pro-brain natriuretic peptide|NT-ProBNP"},
    {"BNP", "pg/mL", "", "*", "ng/L*1", 0, false, "BNP|B-type natriuretic peptide|brain natriuretic peptide"},
    {"TROPONIN_T", "ng/mL", "", "*", "ng/L*0.001 µg/L*1", 0, false,
     "troponin T|troponin-T|TnT|cTnT|hs-TnT|high-sensitivity troponin T"},
    {"TROPONIN_I", "ng/mL", "", "*", "ng/L*0.001 µg/L*1", 0, false,
     "troponin I|troponin-I|TnI|cTnI|hs-TnI|high-sensitivity troponin I"},
    // ---- lung ----
    {"FEV1", "L", "", "* % predicted", "mL*0.001", 0, false,
     "FEV1|forced expiratory volume in 1 second|forced expiratory volume in one second|"
     "forced expiratory volume|FEV 1|FEV1 predicted"},
    {"FVC", "L", "", "* % predicted", "mL*0.001", 0, false, "FVC|forced vital capacity"},
    {"DLCO", "%", "", "* % predicted", "", 0, false,
     "DLCO|DLco|diffusing capacity|diffusion capacity|carbon monoxide diffusing capacity"},
    {"AHI", "", "", "*", "", 0, false, "AHI|apnea-hypopnea index|apnoea-hypopnoea index|apnea hypopnea index"},
    // ---- myeloma ----
    {"M_PROTEIN", "", "", "*", "", 0, false,
     "M protein|M-protein|monoclonal protein|M spike|M-spike|paraprotein|"
     "monoclonal gammaglobulin|monoclonal globulin|monoclonal immunoglobulin|serum M protein"},
    {"URINE_M_PROTEIN", "", "", "*", "", 0, false,
     "urinary M protein|urine M protein|urinary M-protein|urine M-protein|urine monoclonal protein"},
    {"FREE_LIGHT_CHAIN", "", "", "*", "", 0, false,
     "free light chain|free light chains|FLC|iFLC|involved free light chain"},
    // ---- viral load ----
    {"HBV_DNA", "", "", "*", "", 0, false,
     "HBV DNA|HBV-DNA|hepatitis B virus DNA|hepatitis B virus (HBV) DNA"},
    {"HCV_RNA", "", "", "*", "", 0, false, "HCV RNA|HCV-RNA|hepatitis C virus (HCV) RNA"},
    {"HIV_VIRAL_LOAD", "copies/mL", "", "*", "", 0, false,
     "HIV viral load|HIV-1 RNA|HIV RNA|plasma HIV-1 RNA|viral load"},
    // ---- clinical scores ----
    {"EASI", "", "", "", "", 72, false, "EASI|Eczema Area and Severity Index|EASI score"},
    {"IGA", "", "", "", "", 5, false, "=IGA|Investigator's Global Assessment|vIGA|vIGA-AD"},
    {"PASI", "", "", "", "", 72, false, "PASI|Psoriasis Area and Severity Index"},
    {"BASDAI", "", "", "", "", 10, false, "BASDAI|Bath Ankylosing Spondylitis Disease Activity Index"},
    {"DAS28", "", "", "", "", 10, false, "DAS28|DAS28-CRP|DAS28-ESR|Disease Activity Score 28"},
    {"PAIN_NRS", "", "", "", "", 10, false,
     "NRS|Numerical Rating Scale|numeric rating scale|pain NRS|NRS pain score|pain intensity"},
    {"HAMD", "", "", "", "", 76, false,
     "HAMD|HAM-D|HAMD17|HAMD-17|HAMD24|HAMD-24|HDRS|HRSD|Hamilton Depression Rating Scale|"
     "Hamilton Rating Scale for Depression|HAM-D17"},
    {"MADRS", "", "", "", "", 60, false, "MADRS|Montgomery-Asberg Depression Rating Scale"},
    {"CGI_S", "", "", "", "", 7, false,
     "CGI-S|CGI-Severity|Clinical Global Impression - Severity of Illness|"
     "Clinical Global Impression-Severity|Clinical Global Impression of Severity"},
    {"MMSE", "", "", "", "", 30, false, "MMSE|Mini-Mental State Examination|Mini Mental State Examination"},
    {"MOCA", "", "", "", "", 30, false, "MoCA|Montreal Cognitive Assessment"},
    {"EDSS", "", "", "", "", 10, false, "EDSS|Expanded Disability Status Scale"},
    {"NIHSS", "", "", "", "", 42, false, "NIHSS|National Institutes of Health Stroke Scale|NIH Stroke Scale"},
    {"APGAR", "", "", "", "", 10, false, "Apgar|Apgar score|5-minute Apgar score"},
    {"GLEASON", "", "", "", "", 10, false, "Gleason|Gleason score|Gleason sum"},
    {"AUA_SYMPTOM_SCORE", "", "", "", "", 35, false,
     "AUA symptom score|AUA voiding symptoms score|AUA voiding symptom score|IPSS|"
     "International Prostate Symptom Score|AUA score"},
};

// Names standing for several parameters at once.
constexpr AliasSpec kGroupAliases[] = {
    {"transaminases", "ALT AST"}, {"aminotransferases", "ALT AST"},
    {"hepatic transaminases", "ALT AST"}, {"liver transaminases", "ALT AST"},
    {"AST/ALT", "AST ALT"}, {"ALT/AST", "ALT AST"}, {"SGOT/SGPT", "AST ALT"},
    {"SGPT/SGOT", "ALT AST"},
};
// clang-format on

struct Tables {
  std::deque<std::string> texts;  // owns the alias texts cut out of the '|' lists
  std::vector<AliasSpec> aliases;
};

const Tables& tables() {
  static const Tables t = [] {
    Tables out;
    for (const ParameterSpec& p : kParameters) {
      std::string_view rest = p.aliases;
      while (!rest.empty()) {
        size_t bar = rest.find('|');
        std::string_view a = rest.substr(0, bar);
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
        unsigned flags = 0;
        while (!a.empty() && (a.front() == '=' || a.front() == '!')) {
          flags |= a.front() == '=' ? kExactCase : kNeedsComparator;
          a.remove_prefix(1);
        }
        if (a.empty()) continue;
        // A name under two parameters ("urine protein": 24-hour amount or dipstick) names both;
        // the written unit then tells which one a bound is for.
        auto same = std::find_if(out.aliases.begin(), out.aliases.end(), [&](const AliasSpec& x) {
          return x.text == a && x.flags == flags;
        });
        if (same != out.aliases.end()) {
          out.texts.emplace_back(std::string(same->params) + " " + std::string(p.name));
          same->params = out.texts.back();
          continue;
        }
        out.texts.emplace_back(a);
        out.aliases.push_back({out.texts.back(), p.name, flags});
      }
    }
    for (const AliasSpec& g : kGroupAliases) out.aliases.push_back(g);
    return out;
  }();
  return t;
}

}  // namespace

std::span<const ParameterSpec> parameters() {
  return kParameters;
}

const ParameterSpec* find_parameter(std::string_view name) {
  for (const ParameterSpec& p : kParameters)
    if (p.name == name) return &p;
  return nullptr;
}

std::span<const AliasSpec> aliases() {
  return tables().aliases;
}

bool is_time_unit(std::string_view u) {
  return u == "years" || u == "months" || u == "weeks" || u == "days" || u == "hours";
}

bool unit_accepted(const ParameterSpec& p, std::string_view unit) {
  if (unit.empty() || unit == p.canonical_unit) return true;
  bool time = is_time_unit(unit);
  if (p.accepts == "time") return time;
  bool any = false;
  std::string_view rest = p.accepts;
  while (!rest.empty()) {
    size_t sp = rest.find(' ');
    std::string_view a = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    if (a == unit) return true;
    if (a == "%" && rest.starts_with("predicted") && unit == "% predicted") return true;
    if (a == "*") any = true;
  }
  // "*": any amount or rate, but not a time, a percentage or a dipstick reading.
  return any && !time && unit != "%" && unit != "% predicted" && unit != "+";
}

std::optional<Converted> to_canonical(const ParameterSpec& p, double value, std::string_view unit) {
  if (unit.empty()) {
    if (p.implied_unit.empty()) return std::nullopt;
    return Converted{value, std::string(p.implied_unit)};
  }
  if (unit == p.canonical_unit) return Converted{value, std::string(unit)};
  std::string_view rest = p.conversions;
  while (!rest.empty()) {
    size_t sp = rest.find(' ');
    std::string_view c = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    size_t star = c.rfind('*');
    if (star == std::string_view::npos || c.substr(0, star) != unit) continue;
    std::string_view num = c.substr(star + 1);
    double factor = 0, offset = 0;
    size_t plus = num.find('+');
    std::string f(num.substr(0, plus));
    factor = std::stod(f);
    if (plus != std::string_view::npos) offset = std::stod(std::string(num.substr(plus + 1)));
    return Converted{value * factor + offset, std::string(p.canonical_unit)};
  }
  return std::nullopt;
}

}  // namespace trialmill::threshold_detail
