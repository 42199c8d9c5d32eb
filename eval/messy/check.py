"""Validate dev.jsonl and heldout.jsonl against the reports in reports/."""
import json, re, sys, pathlib
root = pathlib.Path(__file__).parent
KEYS = {"id", "question", "type", "answer", "area", "period", "doc", "evidence"}
errors, ids, docs_in = [], set(), {}
for split in ("dev", "heldout"):
    for n, line in enumerate((root / f"{split}.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        where = f"{split}:{n}"
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where} does not parse: {e}"); continue
        if set(r) != KEYS: errors.append(f"{where} keys {sorted(r)}"); continue
        if r["id"] in ids: errors.append(f"{where} duplicate id {r['id']}")
        ids.add(r["id"])
        if r["type"] not in ("passage", "table"): errors.append(f"{where} bad type")
        if r["type"] == "table" and not isinstance(r["answer"], (int, float)): errors.append(f"{where} table answer not a number")
        if r["type"] == "passage" and not isinstance(r["answer"], str): errors.append(f"{where} passage answer not a string")
        if not re.fullmatch(r"\d{4}/\d{2}", r["period"]): errors.append(f"{where} bad period {r['period']}")
        p = root / "reports" / r["doc"]
        if not p.exists(): errors.append(f"{where} missing doc {r['doc']}"); continue
        text = p.read_text(encoding="utf-8")
        if r["evidence"] not in text: errors.append(f"{where} evidence not in {r['doc']}")
        a = r["answer"]
        forms = [str(a)] + ([f"{a:,}"] if isinstance(a, (int, float)) else [])
        if not any(f.lower() in r["evidence"].lower() for f in forms): errors.append(f"{where} answer {a!r} not in evidence")
        docs_in.setdefault(r["doc"], set()).add(split)
leak = [d for d, s in docs_in.items() if len(s) > 1]
if leak: errors.append(f"reports in both halves: {leak}")
print(f"{len(ids)} questions, {len(docs_in)} reports, errors: {len(errors)}")
for e in errors: print("  ", e)
sys.exit(1 if errors else 0)
