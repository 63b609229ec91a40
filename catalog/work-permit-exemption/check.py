#!/usr/bin/env python3
"""Validate the work-permit-exemption catalogue files in this directory.

Standard library only.  Run:  python3 data/catalog/check.py
Exits 0 when every check passes, 1 otherwise.  The last line of output is
"check: N passed, M failed".

Files checked:
  work-permit-exemption.json  sectors, categories and document slots (Art. 48(1))
  occupations.json            İŞKUR-style occupation codes (ISCO-08 unit group + 2 digits)
  currencies.json             ISO 4217 currencies offered for the salary field
  fees.json                   exemption fee and valuable paper fee by year
"""
import json
import os
import re
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HERE = os.path.dirname(os.path.abspath(__file__))

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")
    return ok


def load(name):
    path = os.path.join(HERE, name)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        data = json.loads(text)
    except (OSError, ValueError) as e:
        check(False, f"{name}: cannot be read as JSON ({e})")
        return None
    # Stable formatting: 2-space pretty JSON, UTF-8 (not \u escapes), final newline.
    expected = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    check(text == expected, f"{name}: not in canonical 2-space pretty-printed form")
    return data


def good_text(s):
    return (
        isinstance(s, str)
        and s != ""
        and s == s.strip()
        and "  " not in s
        and "\n" not in s
        and unicodedata.normalize("NFC", s) == s
    )


# Letters that only Turkish uses; English text may contain them only inside the
# allowed proper names / codes below.
TURKISH_ONLY = set("ğĞşŞıİ")
EN_ALLOWED_TURKISH = ("İŞKUR",)


def english_ok(s):
    for word in EN_ALLOWED_TURKISH:
        s = s.replace(word, "")
    return not (set(s) & TURKISH_ONLY)


def bilingual(obj, where, english_check=True):
    """obj must be {"tr": text, "en": text} with both present and well formed."""
    if not check(isinstance(obj, dict) and set(obj) == {"tr", "en"}, f"{where}: must have exactly tr and en"):
        return
    check(good_text(obj["tr"]), f"{where}.tr: empty or badly formed: {obj['tr']!r}")
    check(good_text(obj["en"]), f"{where}.en: empty or badly formed: {obj['en']!r}")
    if english_check:
        check(english_ok(obj.get("en", "")), f"{where}.en: contains Turkish-only letters: {obj.get('en')!r}")
    check(obj.get("tr") != obj.get("en") or len(obj.get("tr", "")) <= 12,
          f"{where}: tr and en are identical (untranslated?): {obj.get('tr')!r}")


KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Article 48(1) sub-paragraph letters follow the Turkish alphabet (no q, w, x).
TURKISH_LETTERS = list("abcçdefgğhıijklmnoöprsştuüvyz")
FILE_TYPES = {"pdf", "jpeg", "png"}
OCC_CODE = re.compile(r"^\d{4}\.\d{2}$")
MONEY = re.compile(r"^\d+\.\d{2}$")

# ---------------------------------------------------------------------------
# ISCO-08 unit groups (ILO, International Standard Classification of
# Occupations 2008): all 436 four-digit codes, including the 3 armed forces groups.
ISCO08_UNIT_GROUPS = """
0110 0210 0310
1111 1112 1113 1114 1120 1211 1212 1213 1219 1221 1222 1223 1311 1312 1321 1322 1323 1324 1330
1341 1342 1343 1344 1345 1346 1349 1411 1412 1420 1431 1439
2111 2112 2113 2114 2120 2131 2132 2133 2141 2142 2143 2144 2145 2146 2149 2151 2152 2153 2161 2162
2163 2164 2165 2166 2211 2212 2221 2222 2230 2240 2250 2261 2262 2263 2264 2265 2266 2267 2269 2310
2320 2330 2341 2342 2351 2352 2353 2354 2355 2356 2359 2411 2412 2413 2421 2422 2423 2424 2431 2432
2433 2434 2511 2512 2513 2514 2519 2521 2522 2523 2529 2611 2612 2619 2621 2622 2631 2632 2633 2634
2635 2636 2641 2642 2643 2651 2652 2653 2654 2655 2656 2659
3111 3112 3113 3114 3115 3116 3117 3118 3119 3121 3122 3123 3131 3132 3133 3134 3135 3139 3141 3142
3143 3151 3152 3153 3154 3155 3211 3212 3213 3214 3221 3222 3230 3240 3251 3252 3253 3254 3255 3256
3257 3258 3259 3311 3312 3313 3314 3315 3321 3322 3323 3324 3331 3332 3333 3334 3339 3341 3342 3343
3344 3351 3352 3353 3354 3355 3359 3411 3412 3413 3421 3422 3423 3431 3432 3433 3434 3435 3511 3512
3513 3514 3521 3522
4110 4120 4131 4132 4211 4212 4213 4214 4221 4222 4223 4224 4225 4226 4227 4229 4311 4312 4313 4321
4322 4323 4411 4412 4413 4414 4415 4416 4419
5111 5112 5113 5120 5131 5132 5141 5142 5151 5152 5153 5161 5162 5163 5164 5165 5169 5211 5212 5221
5222 5223 5230 5241 5242 5243 5244 5245 5246 5249 5311 5312 5321 5322 5329 5411 5412 5413 5414 5419
6111 6112 6113 6114 6121 6122 6123 6129 6130 6210 6221 6222 6223 6224 6310 6320 6330 6340
7111 7112 7113 7114 7115 7119 7121 7122 7123 7124 7125 7126 7127 7131 7132 7133 7211 7212 7213 7214
7215 7221 7222 7223 7224 7231 7232 7233 7234 7311 7312 7313 7314 7315 7316 7317 7318 7319 7321 7322
7323 7411 7412 7413 7421 7422 7511 7512 7513 7514 7515 7516 7521 7522 7523 7531 7532 7533 7534 7535
7536 7541 7542 7543 7544 7549
8111 8112 8113 8114 8121 8122 8131 8132 8141 8142 8143 8151 8152 8153 8154 8155 8156 8157 8159 8160
8171 8172 8181 8182 8183 8189 8211 8212 8219 8311 8312 8321 8322 8331 8332 8341 8342 8343 8344 8350
9111 9112 9121 9122 9123 9129 9211 9212 9213 9214 9215 9216 9311 9312 9313 9321 9329 9331 9332 9333
9334 9411 9412 9510 9520 9611 9612 9613 9621 9622 9623 9624 9629
""".split()
# İŞKUR-specific groups that are not ISCO-08 unit groups (9901 = interns).
EXTRA_GROUPS = {"9901"}

# Occupations the exemption categories rely on (code -> (tr, en) or None = any name).
REQUIRED_OCCUPATIONS = {
    "9901.01": ("Stajyer", "Intern"),
    "9901.02": ("Stajyer (Öğrenci)", "Intern (Student)"),
    "2310.01": ("Öğretim Üyesi", "University Lecturer"),
    "2310.02": None,  # research assistant
    "3421.01": ("Sporcu", "Athlete"),
    "3422.01": ("Antrenör", "Coach"),
    "2652.01": None,  # musician
    "2655.01": None,  # actor
    "7233.01": None,  # agricultural machinery mechanic
    "6121.02": None,  # livestock worker
    "9211.01": None,  # crop farm labourer
    "2659.02": None,  # circus performer
    "7412.01": None,  # electrical mechanic
    "2144.01": None,  # mechanical engineer
    "1120.01": None,  # managing director
    "1120.02": None,  # board member
}

# Longest exemption per category, from shared/domain-facts.md (Article 48(1) table).
# Keyed by letter, or by category code where the letter is not confirmed.
EXPECTED_MAX_MONTHS = {
    "a": 1, "b": 3, "c": 3, "ç": 3, "d": 3, "f": 4, "i": 12, "j": 24, "n": 12,
    "sports-activities": 4, "seasonal-agriculture-livestock": 6, "fairs-circuses": 6,
}
SIX_MONTH_WAIT = {"b", "c"}

# The applicant's guide (shared/seeds/000) fixes these document slots.
SEED_SLOTS = {
    "compulsory-internship": [
        ("Öğrenci Belgesi", "Student ID"),
        ("Zorunlu Staj Belgesi", "Mandatory Internship Certificate"),
        ("Staj Başvuru Formu", "Internship Application Form"),
    ],
    "sports-activities": [
        (None, "Sports Activity Definition Documents"),
        (None, "Sports Activity Competence Certificates"),
        (None, "Sports Activity Assignment Documents"),
    ],
}
SEED_HELP_EN = {
    ("sports-activities", "Sports Activity Definition Documents"):
        "Upload the official documents describing the sportive activity (duration, place/places to be implemented, type of activity, etc.)",
    ("sports-activities", "Sports Activity Competence Certificates"):
        "Upload the professional qualification certificate / testimonial / diploma / license etc. within the scope of the relevant sports activity.",
}


# ---------------------------------------------------------------------------
def check_occupations(occs):
    if not check(isinstance(occs, list) and occs, "occupations.json: must be a non-empty list"):
        return set()
    codes = []
    tr_names, en_names = {}, {}
    for i, o in enumerate(occs):
        where = f"occupations.json[{i}]"
        if not check(isinstance(o, dict) and set(o) == {"code", "tr", "en"}, f"{where}: keys must be code, tr, en"):
            continue
        code = o["code"]
        check(isinstance(code, str) and OCC_CODE.match(code) is not None, f"{where}: code {code!r} is not NNNN.NN")
        codes.append(code)
        bilingual({"tr": o["tr"], "en": o["en"]}, f"{where} ({code})")
        check(o["tr"] not in tr_names, f"{where}: Turkish name {o['tr']!r} also used by {tr_names.get(o['tr'])}")
        check(o["en"] not in en_names, f"{where}: English name {o['en']!r} also used by {en_names.get(o['en'])}")
        tr_names.setdefault(o["tr"], code)
        en_names.setdefault(o["en"], code)
    check(codes == sorted(codes), "occupations.json: not sorted by code")
    check(len(codes) == len(set(codes)), "occupations.json: duplicate codes")
    code_set = set(codes)

    # Every code belongs to an ISCO-08 unit group (or a known İŞKUR extra group) and
    # suffixes within a group run 01, 02, ... without gaps.
    groups = {}
    for c in codes:
        if OCC_CODE.match(c):
            groups.setdefault(c[:4], []).append(int(c[5:]))
    isco = set(ISCO08_UNIT_GROUPS)
    check(len(isco) == 436, f"check.py: ISCO-08 list has {len(isco)} unit groups, expected 436")
    for g, suffixes in sorted(groups.items()):
        check(g in isco or g in EXTRA_GROUPS, f"occupations.json: {g} is not an ISCO-08 unit group")
        check(sorted(suffixes) == list(range(1, len(suffixes) + 1)),
              f"occupations.json: suffixes of {g} are not 01..{len(suffixes):02d}")
    missing = sorted(g for g in isco if f"{g}.01" not in code_set)
    check(not missing, f"occupations.json: ISCO-08 unit groups without a .01 occupation: {missing}")

    by_code = {o["code"]: o for o in occs if isinstance(o, dict) and "code" in o}
    for code, names in REQUIRED_OCCUPATIONS.items():
        if check(code in by_code, f"occupations.json: required occupation {code} missing") and names:
            o = by_code[code]
            check((o.get("tr"), o.get("en")) == names,
                  f"occupations.json: {code} must be {names[0]!r} / {names[1]!r}, found {o.get('tr')!r} / {o.get('en')!r}")
    return code_set


def check_catalog(cat, occupation_codes):
    if not check(isinstance(cat, dict), "work-permit-exemption.json: must be an object"):
        return
    check(set(cat) == {"kind", "version", "legal_basis", "domestic_application", "sectors"},
          f"work-permit-exemption.json: top-level keys {sorted(cat)}")
    domestic = cat.get("domestic_application")
    if check(isinstance(domestic, dict) and set(domestic) == {"apply_within_days_of_entry", "source"},
             "domestic_application: keys must be apply_within_days_of_entry, source"):
        days = domestic["apply_within_days_of_entry"]
        check(days is None or (isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 365),
              f"domestic_application.apply_within_days_of_entry: {days!r} must be null or 1..365")
        bilingual(domestic["source"], "domestic_application.source")
    check(cat.get("kind") == "work-permit-exemption", "work-permit-exemption.json: kind")
    check(isinstance(cat.get("version"), str) and re.match(r"^\d{4}-\d{2}-\d{2}$", cat.get("version", "")) is not None,
          "work-permit-exemption.json: version must be YYYY-MM-DD")
    bilingual(cat.get("legal_basis"), "legal_basis")
    sectors = cat.get("sectors")
    if not check(isinstance(sectors, list) and sectors, "sectors: must be a non-empty list"):
        return

    sector_codes, category_codes, letters = set(), set(), set()
    seen_expected = set()
    category_keys = {"code", "letter", "confirmed", "name", "help", "legal_reference", "max_months",
                     "max_period_note", "reapply_wait_months", "default_occupation", "documents"}
    for si, s in enumerate(sectors):
        sw = f"sectors[{si}]"
        if not check(isinstance(s, dict) and set(s) == {"code", "name", "categories"},
                     f"{sw}: keys must be code, name, categories"):
            continue
        check(isinstance(s["code"], str) and KEBAB.match(s["code"]) is not None, f"{sw}: code {s['code']!r} not kebab-case")
        check(s["code"] not in sector_codes, f"{sw}: duplicate sector code {s['code']!r}")
        sector_codes.add(s["code"])
        sw = f"sector {s['code']}"
        bilingual(s["name"], f"{sw}.name")
        if not check(isinstance(s["categories"], list) and s["categories"], f"{sw}: no categories"):
            continue
        for ci, c in enumerate(s["categories"]):
            cw = f"{sw}.categories[{ci}]"
            if not check(isinstance(c, dict) and set(c) - {"occupations", "second_approval"} == category_keys,
                         f"{cw}: keys {sorted(c) if isinstance(c, dict) else c!r}"):
                continue
            code = c["code"]
            check(isinstance(code, str) and KEBAB.match(code) is not None, f"{cw}: code {code!r} not kebab-case ASCII")
            check(code not in category_codes, f"{cw}: duplicate category code {code!r}")
            category_codes.add(code)
            cw = f"category {code}"

            letter = c["letter"]
            check(isinstance(c["confirmed"], bool), f"{cw}: confirmed must be true or false")
            if letter is None:
                check(c["confirmed"] is False, f"{cw}: a category without a letter must have confirmed false")
            else:
                check(letter in TURKISH_LETTERS, f"{cw}: letter {letter!r} is not a Turkish alphabet letter")
                check(letter not in letters, f"{cw}: letter {letter!r} used twice")
                letters.add(letter)

            bilingual(c["name"], f"{cw}.name")
            bilingual(c["help"], f"{cw}.help")
            bilingual(c["legal_reference"], f"{cw}.legal_reference", english_check=False)
            bilingual(c["max_period_note"], f"{cw}.max_period_note")
            if "second_approval" in c:
                sa = c["second_approval"]
                if check(isinstance(sa, dict) and set(sa) == {"source"},
                         f"{cw}.second_approval: keys must be source"):
                    bilingual(sa["source"], f"{cw}.second_approval.source")
            if letter is not None and isinstance(c["name"], dict):
                check(c["name"].get("tr", "").endswith(f"({letter})") and c["name"].get("en", "").endswith(f"({letter})"),
                      f"{cw}: names must end with ({letter})")
                check(c["legal_reference"] == {"tr": f"md. 48/1-{letter}", "en": f"Art. 48(1)({letter})"},
                      f"{cw}: legal_reference must be md. 48/1-{letter} / Art. 48(1)({letter})")
            for lang in ("tr", "en"):
                text = c["help"].get(lang, "") if isinstance(c["help"], dict) else ""
                sentences = [x for x in re.split(r"(?<=[.!?])\s+", text) if x]
                check(1 <= len(sentences) <= 2, f"{cw}.help.{lang}: must be one or two sentences, has {len(sentences)}")

            mm = c["max_months"]
            check(isinstance(mm, int) and not isinstance(mm, bool) and 1 <= mm <= 36,
                  f"{cw}: max_months {mm!r} must be a positive integer (at most 36)")
            key = letter if letter is not None else code
            if key in EXPECTED_MAX_MONTHS:
                seen_expected.add(key)
                check(mm == EXPECTED_MAX_MONTHS[key], f"{cw}: max_months {mm} but domain facts say {EXPECTED_MAX_MONTHS[key]}")
            else:
                check(c["confirmed"] is True,
                      f"{cw}: a category beyond the domain-facts table must be confirmed from the regulation text")
            wait = 6 if letter in SIX_MONTH_WAIT else 12
            check(c["reapply_wait_months"] == wait, f"{cw}: reapply_wait_months must be {wait}")

            occ = c["default_occupation"]
            check(occ is None or (isinstance(occ, str) and occ in occupation_codes),
                  f"{cw}: default_occupation {occ!r} not in occupations.json")

            # Optional: the only occupations the category admits, with where that comes from.
            rule = c.get("occupations")
            if rule is not None and check(
                    isinstance(rule, dict) and set(rule) == {"only", "confirmed", "source"},
                    f"{cw}.occupations: keys must be only, confirmed, source"):
                only = rule["only"]
                check(isinstance(only, list) and only and all(o in occupation_codes for o in only)
                      and len(only) == len(set(only)),
                      f"{cw}.occupations.only: {only!r} must be distinct codes of occupations.json")
                check(isinstance(rule["confirmed"], bool), f"{cw}.occupations.confirmed must be true or false")
                bilingual(rule["source"], f"{cw}.occupations.source")
                check(occ is None or occ in only, f"{cw}: default_occupation {occ!r} must be one of occupations.only")

            docs = c["documents"]
            if not check(isinstance(docs, list) and docs, f"{cw}: no document slots"):
                continue
            slots = set()
            any_required = False
            for di, d in enumerate(docs):
                dw = f"{cw}.documents[{di}]"
                if not check(isinstance(d, dict) and set(d) == {"slot", "label", "help", "required", "max_files", "types"},
                             f"{dw}: keys must be slot, label, help, required, max_files, types"):
                    continue
                check(isinstance(d["slot"], str) and KEBAB.match(d["slot"]) is not None, f"{dw}: slot {d['slot']!r} not kebab-case")
                check(d["slot"] not in slots, f"{dw}: duplicate slot {d['slot']!r}")
                slots.add(d["slot"])
                dw = f"{cw}.{d['slot']}"
                bilingual(d["label"], f"{dw}.label")
                bilingual(d["help"], f"{dw}.help")
                check(isinstance(d["required"], bool), f"{dw}: required must be true or false")
                any_required = any_required or d["required"] is True
                mf = d["max_files"]
                check(isinstance(mf, int) and not isinstance(mf, bool) and 1 <= mf <= 10, f"{dw}: max_files {mf!r} not in 1..10")
                ty = d["types"]
                check(isinstance(ty, list) and ty and len(ty) == len(set(ty)) and set(ty) <= FILE_TYPES,
                      f"{dw}: types {ty!r} must be a non-empty subset of {sorted(FILE_TYPES)} without repeats")
            check(any_required, f"{cw}: needs at least one required document slot")

            if code in SEED_SLOTS:
                got = [(d.get("label", {}).get("tr"), d.get("label", {}).get("en")) for d in docs if isinstance(d, dict)]
                want = SEED_SLOTS[code]
                check(len(got) == len(want) and all((w[0] is None or w[0] == g[0]) and w[1] == g[1] for g, w in zip(got, want)),
                      f"{cw}: document slots must be exactly the applicant guide's {want}, found {got}")
                check(all(d.get("required") is True for d in docs if isinstance(d, dict)),
                      f"{cw}: the applicant guide's slots must all be required")
            for d in docs:
                if isinstance(d, dict) and isinstance(d.get("label"), dict):
                    k = (code, d["label"].get("en"))
                    if k in SEED_HELP_EN:
                        check(d.get("help", {}).get("en") == SEED_HELP_EN[k], f"{cw}: help for {k[1]!r} must be the guide's text")

    check(seen_expected == set(EXPECTED_MAX_MONTHS),
          f"work-permit-exemption.json: domain-facts categories missing: {sorted(set(EXPECTED_MAX_MONTHS) - seen_expected)}")
    # The applicant's worked example.
    ci = [c for s in sectors if isinstance(s, dict) for c in s.get("categories", [])
          if isinstance(c, dict) and c.get("code") == "compulsory-internship"]
    if check(len(ci) == 1, "compulsory-internship category missing"):
        c = ci[0]
        check(c.get("letter") == "n" and c.get("default_occupation") == "9901.02",
              "compulsory-internship: letter n and default occupation 9901.02")
        check((c.get("occupations") or {}).get("only") == ["9901.02"],
              "compulsory-internship: the guide admits only occupation 9901.02")
        check(c.get("name") == {"tr": "Staj / Zorunlu Staja Tabi Öğrenci (n)",
                                "en": "Internship / Student Subject to Compulsory Internship (n)"},
              "compulsory-internship: name must match the e-Muafiyet label")
        edu = [s for s in sectors if isinstance(s, dict) and c in s.get("categories", [])]
        check(edu and edu[0].get("code") == "education" and edu[0].get("name") == {"tr": "Eğitim Sektörü", "en": "Education Sector"},
              "compulsory-internship: must sit in the Education Sector")


def check_currencies(cur):
    want = ("TRY USD EUR GBP CHF JPY CNY RUB AZN SAR AED KZT UZS GEL UAH IRR IQD QAR KWD "
            "CAD AUD SEK NOK DKK PLN").split()
    if not check(isinstance(cur, list), "currencies.json: must be a list"):
        return
    got = [c.get("code") if isinstance(c, dict) else None for c in cur]
    check(got == want, f"currencies.json: codes/order {got} differ from {want}")
    symbols = []
    for i, c in enumerate(cur):
        w = f"currencies.json[{i}]"
        if not check(isinstance(c, dict) and set(c) == {"code", "symbol", "tr", "en"}, f"{w}: keys must be code, symbol, tr, en"):
            continue
        check(re.match(r"^[A-Z]{3}$", c["code"]) is not None, f"{w}: code {c['code']!r}")
        check(good_text(c["symbol"]) and len(c["symbol"]) <= 4, f"{w}: symbol {c['symbol']!r}")
        symbols.append(c["symbol"])
        bilingual({"tr": c["tr"], "en": c["en"]}, f"{w} ({c['code']})")
    check(len(symbols) == len(set(symbols)), "currencies.json: symbols must be unique")
    if cur and isinstance(cur[0], dict):
        check(cur[0] == {"code": "TRY", "symbol": "₺", "tr": "Türk Lirası", "en": "Turkish Lira"},
              "currencies.json: first entry must be TRY ₺ Türk Lirası / Turkish Lira")


def money(s):
    try:
        return Decimal(s)
    except (InvalidOperation, TypeError):
        return None


def check_fees(fees):
    if not check(isinstance(fees, dict), "fees.json: must be an object"):
        return
    check(set(fees) == {"currency", "years", "fee_free_below_months", "lost_card", "accounts", "payment_deadline_days"},
          f"fees.json: top-level keys {sorted(fees)}")
    check(fees.get("currency") == "TRY", "fees.json: currency must be TRY")
    years = fees.get("years")
    if check(isinstance(years, list) and years, "fees.json: years must be a non-empty list"):
        nums = [y.get("year") for y in years if isinstance(y, dict)]
        check(nums == sorted(set(nums)), "fees.json: years must be ascending and unique")
        by_year = {}
        for y in years:
            if not isinstance(y, dict):
                check(False, "fees.json: year entry must be an object")
                continue
            w = f"fees.json year {y.get('year')}"
            keys = {"year", "exemption_fee_per_year", "valuable_paper_fee", "published"}
            check(set(y) in (keys, keys | {"note"}), f"{w}: keys {sorted(y)}")
            check(isinstance(y.get("year"), int) and 2000 <= y["year"] <= 2100, f"{w}: year")
            for k in ("exemption_fee_per_year", "valuable_paper_fee"):
                v = y.get(k)
                check(isinstance(v, str) and MONEY.match(v) is not None and money(v) > 0,
                      f"{w}: {k} {v!r} must be a positive decimal string with 2 decimals")
            published = y.get("published")
            check(isinstance(published, bool)
                  or (isinstance(published, dict)
                      and set(published) == {"exemption_fee", "valuable_paper_fee"}
                      and all(isinstance(v, bool) for v in published.values())),
                  f"{w}: published must be true, false or per fee (exemption_fee, valuable_paper_fee)")
            if published is False or (isinstance(published, dict) and not all(published.values())):
                if check("note" in y, f"{w}: an unpublished amount needs a note"):
                    bilingual(y["note"], f"{w}.note")
            elif "note" in y:
                bilingual(y["note"], f"{w}.note")
            by_year[y.get("year")] = y
        expected = {
            2024: ("7345.00", "565.00", True),
            2025: ("10571.60", "810.00", True),
            2026: ("12574.92", "964.00", {"exemption_fee": False, "valuable_paper_fee": True}),
        }
        for yr, (fee, paper, pub) in expected.items():
            y = by_year.get(yr)
            if check(y is not None, f"fees.json: year {yr} missing"):
                check((y.get("exemption_fee_per_year"), y.get("valuable_paper_fee"), y.get("published")) == (fee, paper, pub),
                      f"fees.json: {yr} must be {fee} / {paper} / published={pub} (domain facts)")
        if 2025 in by_year and 2026 in by_year:
            est = (money(by_year[2025]["exemption_fee_per_year"]) * Decimal("1.1895")).quantize(Decimal("0.01"), ROUND_HALF_UP)
            check(money(by_year[2026]["exemption_fee_per_year"]) == est,
                  f"fees.json: 2026 estimate must be 2025 x 1.1895 = {est}")
    check(fees.get("fee_free_below_months") == 3, "fees.json: fee_free_below_months must be 3")
    check(fees.get("lost_card") == {"fee_share": "0.5", "valuable_paper_share": "1"}, "fees.json: lost_card shares")
    check(fees.get("accounts") == {"exemption_fee": "9280", "valuable_paper_fee": "9268"}, "fees.json: account codes")
    check(fees.get("payment_deadline_days") == 30, "fees.json: payment_deadline_days must be 30")


def main():
    occs = load("occupations.json")
    occupation_codes = check_occupations(occs) if occs is not None else set()
    cat = load("work-permit-exemption.json")
    if cat is not None:
        check_catalog(cat, occupation_codes)
    cur = load("currencies.json")
    if cur is not None:
        check_currencies(cur)
    fees = load("fees.json")
    if fees is not None:
        check_fees(fees)
    print(f"check: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
