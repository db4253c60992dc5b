#!/usr/bin/env python3
"""Validate scripts.jsonl and print markup statistics.

Usage: python3 check_scripts.py [path/to/scripts.jsonl]
Exit status is non-zero if any check fails.
"""
import json
import re
import sys
from collections import Counter
from pathlib import Path

HES = {"um", "uh", "er", "umm", "hmm"}
FILL = {"like", "you know", "so", "I mean", "kind of", "basically", "actually",
        "honestly", "right", "well"}
REAL = {"like", "so", "you know", "kind of", "actually", "honestly", "I mean",
        "right", "well"}
# words that must never appear unmarked in plain text (ground truth must be explicit)
TARGET_RE = re.compile(r"\b(um+|uh|er|hmm|like|so|you know|i mean|kind of|basically|"
                       r"actually|honestly|right|well)\b", re.I)
TOKEN_RE = re.compile(r"\{([^{}\[\]<>]*)\}|\[([^{}\[\]<>]*)\]|<([^{}\[\]<>]*)>")

def classify(script):
    """Return list of (hesitation, position) with position in start/mid/between/doubled."""
    toks = list(re.finditer(r"\{([^}]*)\}", script))
    res = []
    for i, m in enumerate(toks):
        before, after = script[:m.start()], script[m.end():]
        prev_adj = i > 0 and script[toks[i-1].end():m.start()].strip() == ""
        next_adj = i + 1 < len(toks) and script[m.end():toks[i+1].start()].strip() == ""
        if prev_adj or next_adj:
            pos = "doubled"
        elif re.match(r"\s*[.!?]", after):
            pos = "between"
        else:
            b = re.sub(r"(\s*\[[^\]]*\],?)+\s*$", "", before).rstrip()
            pos = "start" if (b == "" or b[-1] in ".!?") else "mid"
        res.append((m.group(1), pos))
    return res

def main(path):
    errors = []
    stats = Counter(); hes_kind = Counter(); fill_kind = Counter(); real_kind = Counter()
    per = []
    ids = set()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for ln, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except Exception as e:
            errors.append(f"line {ln}: JSON error {e}"); continue
        if set(obj) != {"id", "question", "script"}:
            errors.append(f"line {ln}: bad keys {sorted(obj)}")
        sid, s = obj["id"], obj["script"]
        if sid in ids: errors.append(f"{sid}: duplicate id")
        ids.add(sid)
        for m in TOKEN_RE.finditer(s):
            h, f, r = m.groups()
            if h is not None and h not in HES: errors.append(f"{sid}: bad hesitation {{{h}}}")
            if f is not None and f not in FILL: errors.append(f"{sid}: bad filler [{f}]")
            if r is not None and r not in REAL: errors.append(f"{sid}: bad real-word <{r}>")
        plain = TOKEN_RE.sub(" ", s)
        if re.search(r"[{}\[\]<>]", plain):
            near = re.findall(r".{0,15}[{}<>\[\]].{0,15}", plain)
            errors.append(f"{sid}: unbalanced/nested markup near {near}")
        for m in TARGET_RE.finditer(plain):
            errors.append(f"{sid}: unmarked target word '{m.group(0)}'")
        if re.search(r"\d", s): errors.append(f"{sid}: digits in script")
        hes = classify(s)
        fills = [m.group(2) for m in TOKEN_RE.finditer(s) if m.group(2) is not None]
        reals = [m.group(3) for m in TOKEN_RE.finditer(s) if m.group(3) is not None]
        words = len(re.sub(r"\{[^}]*\}", " ", s).replace("[", "").replace("]", "")
                    .replace("<", "").replace(">", "").split())
        if not 80 <= words <= 230: errors.append(f"{sid}: {words} words")
        if not (len(hes) == 0 or 2 <= len(hes) <= 6 or 8 <= len(hes) <= 12):
            errors.append(f"{sid}: {len(hes)} hesitations")
        if len(fills) > 4: errors.append(f"{sid}: {len(fills)} fillers")
        if not 1 <= len(reals) <= 4: errors.append(f"{sid}: {len(reals)} real-word uses")
        for h, p in hes: stats[p] += 1; hes_kind[h] += 1
        fill_kind.update(fills); real_kind.update(reals)
        per.append((sid, words, len(hes), len(fills), len(reals)))
    nh = sum(stats.values())
    print(f"scripts: {len(per)}")
    print(f"words: total {sum(p[1] for p in per)}, min {min(p[1] for p in per)}, max {max(p[1] for p in per)}")
    print(f"hesitations: {nh}  " + ", ".join(f"{k} {stats[k]} ({100*stats[k]/nh:.0f}%)"
          for k in ("start", "mid", "between", "doubled")))
    print("  by sound:", dict(hes_kind.most_common()))
    print("  scripts with 0:", sum(p[2] == 0 for p in per),
          " with 8-12 (rambling):", sum(p[2] >= 8 for p in per))
    print(f"discourse fillers: {sum(fill_kind.values())}", dict(fill_kind.most_common()))
    print(f"real-word uses: {sum(real_kind.values())}", dict(real_kind.most_common()))
    if "-v" in sys.argv:
        for p in per: print("  %s words=%d hes=%d fill=%d real=%d" % p)
    if errors:
        print("ERRORS:"); [print(" ", e) for e in errors]; return 1
    print("OK: all lines parse, all markup closed and in the allowed sets")
    return 0

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    sys.exit(main(args[0] if args else str(Path(__file__).with_name("scripts.jsonl"))))
