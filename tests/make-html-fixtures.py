#!/usr/bin/env python3
"""Writes fixtures/html/<page>.html: each seed page of fixtures/pages rendered as HTML with the
structure its site uses — labelled sections, nested <ol>/<ul> lists, <table> rows on
ClinicalTrials.gov, multi-line table cells — plus the noise real pages carry (scripts, styles,
navigation, hidden elements, comments, character entities). The parse tests check that the HTML
and the text of a page give the same record. Run from the repository root after changing a page.
"""
import html
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(\d+)\.\s+(.*)$")

LABELS = {
    "veeva": {"Status and phase", "Status", "Conditions", "Treatments", "Study type", "Funder types",
              "Identifiers", "Details and patient eligibility", "About", "Full description",
              "Enrollment", "Sex", "Ages", "Volunteers", "Inclusion criteria", "Exclusion criteria",
              "Trial design", "Primary purpose", "Allocation", "Interventional model", "Masking",
              "Trial contacts and locations", "Central trial contact"},
    "meddatax": {"Study Results", "Basic Information", "Recruitment Status", "Clinical Phase",
                 "Total Enrollment", "Study Classification", "Study Start Date", "Study Completion Date",
                 "Brief Summary", "Detailed Description", "Conditions", "Study Design", "Allocation Method",
                 "Intervention Model", "Primary Study Purpose", "Blinding Strategy", "Study Groups",
                 "Interventions", "Eligibility Criteria", "Inclusion Criteria", "Exclusion Criteria",
                 "Minimum Eligible Age", "Eligible Sex", "Accepts Healthy Volunteers", "Sponsors",
                 "Responsible Party", "Principal Investigators", "Locations", "Countries",
                 "Central Contacts", "Facility Contacts", "Other Identifiers", "More Related Trials"},
    "trialx": {"Overview", "Eligibility", "Inclusion Criteria:", "Exclusion Criteria:", "Study details",
               "FAQs", "Send a message", "Primary Contact"},
    "ctgov": {"Brief Summary:", "Detailed Description:", "Inclusion Criteria:", "Exclusion Criteria:",
              "Primary Outcome Measures :", "Secondary Outcome Measures :", "Sponsors and Collaborators",
              "Additional relevant MeSH terms:", "Information from the National Library of Medicine"},
}

NOISE_HEAD = """<meta charset="utf-8"><meta name="viewport" content="width=device-width">
<style>body{font-family:sans-serif} .chip::before{content:"<b>not text</b>"}</style>
<script>window.__NEXT_DATA__ = {"props":{"title":"<h1>Not the title</h1>","status":"Completed"}};</script>
<script type="application/ld+json">{"@type":"MedicalStudy","name":"Decoy title"}</script>"""

NOISE_BODY = """<nav aria-label="main"><a href="/">Home</a> <a href="/search">Find clinical trials</a> <a href="/about">About us</a></nav>
<!-- tracking: <p>Recruitment Status : Withdrawn</p> -->
<noscript><p>Please enable JavaScript.</p></noscript>
<template><p>Phase 4</p></template>
<div hidden><p>NCT99999999</p></div>"""


def esc(text):
    # Entities as sites write them: named for common symbols, numeric for some.
    out = html.escape(text, quote=False)
    return (out.replace("≥", "&ge;").replace("≤", "&#8804;").replace("×", "&times;")
               .replace("'", "&#39;").replace("\u00a0", "&nbsp;"))


def read_lines(path):
    lines, blank = [], False
    for raw in path.read_text(encoding="utf-8").split("\n"):
        raw = raw.rstrip("\r")
        if not raw.strip():
            blank = True
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        lines.append({"text": " ".join(raw.split()), "indent": indent, "blank": blank})
        blank = False
    return lines


def list_item(line):
    """(kind, text) for a list line at some indentation: ordered "1. x" or bulleted "• x"."""
    if line["indent"] == 0:
        return None
    m = MARKER.match(line["text"])
    if m:
        return "ol", m.group(2)
    if line["text"].startswith("• "):
        return "ul", line["text"][2:]
    return None


def render_list(lines, i):
    """Renders the list starting at lines[i]; returns (html, next index)."""
    base = lines[i]["indent"]
    kind = list_item(lines[i])[0]
    parts, number = [f"<{kind}>"], 0
    while i < len(lines):
        item = list_item(lines[i])
        if item is None or lines[i]["indent"] < base:
            break
        if lines[i]["indent"] > base:
            nested, i = render_list(lines, i)
            parts.insert(len(parts) - 1, nested) if parts[-1] == "</li>" else parts.append(nested)
            continue
        if item[0] != kind:
            break
        if kind == "ol":
            number += 1
            assert MARKER.match(lines[i]["text"]).group(1) == str(number), lines[i]["text"]
        parts.append(f"<li>{esc(item[1])}")
        i += 1
        # Unmarked deeper lines continue the item (an outcome's description).
        while i < len(lines) and lines[i]["indent"] > base and list_item(lines[i]) is None:
            parts.append(f"<div>{esc(lines[i]['text'])}</div>")
            i += 1
        if i < len(lines) and list_item(lines[i]) and lines[i]["indent"] > base:
            nested, i = render_list(lines, i)
            parts.append(nested)
        parts.append("</li>")
    parts.append(f"</{kind}>")
    return "".join(parts), i


def render_blocks(lines, labels, site):
    out, i = [], 0
    para = []

    def flush():
        if para:
            out.append("<p>" + "<br>".join(esc(t) for t in para) + "</p>")
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line["blank"]:
            flush()
        if list_item(line):
            flush()
            rendered, i = render_list(lines, i)
            out.append(rendered)
            continue
        if site == "ctgov" and ctgov_table(lines, i, out, flush):
            i = ctgov_table.next
            continue
        if line["text"] in labels:
            flush()
            tag = "h2" if site != "ctgov" else "h3"
            out.append(f"<{tag} class=\"label\">{esc(line['text'])}</{tag}>")
        else:
            para.append(line["text"])
        i += 1
    flush()
    return "\n".join(out)


def ctgov_table(lines, i, out, flush):
    """ClinicalTrials.gov tables: "Layout table for …" captions with "Label : value" rows, the
    condition/intervention/phase table and the arm/intervention table with multi-line cells."""
    text = lines[i]["text"]
    if text.startswith("Layout table for "):
        flush()
        rows, j = [], i + 1
        while j < len(lines) and not lines[j]["blank"] and not lines[j]["text"].startswith("Layout table for "):
            cells = re.split(r"(?<=:)\s+", lines[j]["text"], maxsplit=1)
            if len(cells) == 2 and len(cells[0]) < 45:
                rows.append(f"<tr><th>{esc(cells[0])}</th><td>{esc(cells[1])}</td></tr>")
            else:
                rows.append(f"<tr><td>{esc(lines[j]['text'])}</td></tr>")
            j += 1
        out.append(f"<table><caption>{esc(text)}</caption>{''.join(rows)}</table>")
        ctgov_table.next = j
        return True
    if text == "Condition or disease Intervention/treatment Phase":
        flush()
        row = lines[i + 1]["text"]
        m = re.match(r"^(.*?) (Drug: .*?) (Phase \d)$", row)
        out.append("<table class=\"conditions\"><tr><th>Condition or disease</th><th>Intervention/treatment</th>"
                   f"<th>Phase</th></tr><tr><td>{esc(m.group(1))}</td><td>{esc(m.group(2))}</td>"
                   f"<td>{esc(m.group(3))}</td></tr></table>")
        ctgov_table.next = i + 2
        return True
    if text == "Arm Intervention/treatment":
        flush()
        j, arm, treatment = i + 1, [], []
        while j < len(lines) and not lines[j]["blank"]:
            (treatment if treatment or lines[j]["text"].startswith("Drug: ") else arm).append(lines[j]["text"])
            j += 1
        cell = lambda ls: "<br>".join(esc(t) for t in ls)
        out.append("<table class=\"arms\"><tr><th>Arm</th><th>Intervention/treatment</th></tr>"
                   f"<tr><td>{cell(arm)}</td><td>{cell(treatment)}</td></tr></table>")
        ctgov_table.next = j
        return True
    return False


def render(name, site):
    lines = read_lines(ROOT / "fixtures" / "pages" / f"{name}.txt")
    title = lines[0]["text"]
    body = render_blocks(lines, LABELS[site], site)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head>\n<title>{esc(title)}</title>\n{NOISE_HEAD}\n</head>\n"
            f"<body>\n{NOISE_BODY}\n<main>\n{body}\n</main>\n<script>track('view');</script>\n</body></html>\n")


def main():
    for page in sorted((ROOT / "fixtures" / "pages").glob("*.txt")):
        site = page.stem.split("_")[0]
        (ROOT / "fixtures" / "html" / f"{page.stem}.html").write_text(render(page.stem, site), encoding="utf-8")


if __name__ == "__main__":
    main()
