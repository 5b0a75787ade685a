#!/usr/bin/env python3
"""Writes the offline registry's ClinicalTrials.gov API v2 files (fixtures/registry/api/v2/studies/)
from the seed trials' expected records (fixtures/expected/), in the API's study shape: the same
trials the other offline sources show, so one offline run merges each trial from several formats.
They are derived from the seeds, not copies of real API responses. Run from the repository root.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "registry" / "api" / "v2" / "studies"
DISPLAY = {"DRUG": "Drug", "DEVICE": "Device", "BIOLOGICAL": "Biological", "PROCEDURE": "Procedure",
           "RADIATION": "Radiation", "BEHAVIORAL": "Behavioral", "GENETIC": "Genetic",
           "DIETARY_SUPPLEMENT": "Dietary Supplement", "COMBINATION_PRODUCT": "Combination Product",
           "DIAGNOSTIC_TEST": "Diagnostic Test", "OTHER": "Other"}


def drop_empty(value):
    if isinstance(value, dict):
        return {k: drop_empty(v) for k, v in value.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [drop_empty(v) for v in value]
    return value


def age(a):
    if not a:
        return None
    n = a["value"]
    return f"{int(n) if n == int(n) else n} {a['unit'].capitalize()}"


def dated(d):
    return {"date": d["date"], "type": d["type"]} if d else None


def criteria(r):
    text = []
    if r["inclusion_criteria"]:
        text.append("Inclusion Criteria:\n\n" + "\n".join("* " + c.replace("\n", "\n  ") for c in r["inclusion_criteria"]))
    if r["exclusion_criteria"]:
        text.append("Exclusion Criteria:\n\n" + "\n".join("* " + c.replace("\n", "\n  ") for c in r["exclusion_criteria"]))
    return "\n\n".join(text) or None


def study(r):
    people = lambda ps, keys: [{k2: p.get(k1) for k1, k2 in keys} for p in ps]
    return drop_empty({
        "protocolSection": {
            "identificationModule": {
                "nctId": r["nct_id"], "orgStudyIdInfo": {"id": r["org_study_id"]},
                "secondaryIdInfos": [{"id": i} for i in r["secondary_ids"]],
                "briefTitle": r["brief_title"], "officialTitle": r["official_title"], "acronym": r["acronym"]},
            "statusModule": {
                "statusVerifiedDate": r["last_verified"], "overallStatus": r["overall_status"],
                "startDateStruct": dated(r["start_date"]),
                "primaryCompletionDateStruct": dated(r["primary_completion_date"]),
                "completionDateStruct": dated(r["completion_date"]),
                "studyFirstPostDateStruct": {"date": r["first_posted"]} if r["first_posted"] else None,
                "lastUpdatePostDateStruct": {"date": r["last_update_posted"]} if r["last_update_posted"] else None},
            "sponsorCollaboratorsModule": {
                "leadSponsor": r["lead_sponsor"], "collaborators": r["collaborators"],
                "responsibleParty": {"type": r["responsible_party"]["type"],
                                     "investigatorFullName": r["responsible_party"]["name"]}
                if r["responsible_party"] and r["responsible_party"]["type"] else None},
            "descriptionModule": {"briefSummary": r["brief_summary"], "detailedDescription": r["detailed_description"]},
            "conditionsModule": {"conditions": r["conditions"], "keywords": r["keywords"]},
            "designModule": {
                "studyType": r["study_type"], "phases": r["phases"],
                "designInfo": {"allocation": r["allocation"], "interventionModel": r["intervention_model"],
                               "primaryPurpose": r["primary_purpose"],
                               "maskingInfo": {"masking": r["masking"]} if r["masking"] else None},
                "enrollmentInfo": r["enrollment"]},
            "armsInterventionsModule": {
                "armGroups": [{"label": a["label"], "type": a["type"], "description": a["description"],
                               "interventionNames": a["intervention_names"]} for a in r["arms"]],
                "interventions": [{"type": i["type"], "name": i["name"], "description": i["description"],
                                   "otherNames": i["other_names"]} for i in r["interventions"]]},
            "outcomesModule": {
                "primaryOutcomes": people(r["primary_outcomes"], [("measure", "measure"), ("description", "description"), ("time_frame", "timeFrame")]),
                "secondaryOutcomes": people(r["secondary_outcomes"], [("measure", "measure"), ("description", "description"), ("time_frame", "timeFrame")])},
            "eligibilityModule": {
                "eligibilityCriteria": criteria(r), "healthyVolunteers": r["healthy_volunteers"], "sex": r["sex"],
                "minimumAge": age(r["minimum_age"]), "maximumAge": age(r["maximum_age"])},
            "contactsLocationsModule": {
                "centralContacts": people(r["central_contacts"], [("name", "name"), ("role", "role"), ("phone", "phone"), ("email", "email")]),
                "overallOfficials": people(r["overall_officials"], [("name", "name"), ("affiliation", "affiliation"), ("role", "role")]),
                "locations": [{"facility": l["facility"], "status": l["status"], "city": l["city"], "state": l["state"],
                               "zip": l["zip"], "country": l["country"],
                               "contacts": people(l["contacts"], [("name", "name"), ("role", "role"), ("phone", "phone"), ("email", "email")])}
                              for l in r["locations"]]}},
        "derivedSection": {"conditionBrowseModule": {"meshes": [{"term": t} for t in r["mesh_terms"]]}},
        "hasResults": r["has_results"] if r["has_results"] is not None else False,
    })


def load(name):
    return json.loads((ROOT / "fixtures" / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def write(path, value):
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main():
    veeva, ctgov, npc = load("veeva_NCT04433169"), load("ctgov_NCT03792542"), load("veeva_NCT05549466")
    write(OUT / "page-1.json", {"studies": [study(veeva), study(ctgov)], "nextPageToken": "2"})
    write(OUT / "page-2.json", {"studies": [study(npc)]})
    write(OUT / "NCT04433169.json", study(veeva))


if __name__ == "__main__":
    main()
