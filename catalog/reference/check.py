#!/usr/bin/env python3
"""Validate the reference data files in this directory.

Standard library only.  Run:  python3 data/reference/check.py
Exits 0 when every check passes, 1 otherwise.  The last line of output is
"check: N passed, M failed".
"""
import json
import os
import re
import sys
import unicodedata

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


def load(name):
    path = os.path.join(HERE, name)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    data = json.loads(text)
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
        and unicodedata.normalize("NFC", s) == s
    )


# Turkish alphabetical order: a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z
TR_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_RANK = {c: i for i, c in enumerate(TR_ALPHABET)}
_FOLD = {"â": "a", "î": "i", "û": "u", "q": "k", "w": "v", "x": "ks"}


def tr_key(s):
    s = s.replace("I", "ı").replace("İ", "i").lower()
    key = []
    for ch in s:
        for c in _FOLD.get(ch, ch):
            if c in _RANK:
                key.append((2, _RANK[c]))
            elif c.isdigit():
                key.append((1, int(c)))
            else:
                key.append((0, ord(c)))
    return key


def unique(values):
    return len(values) == len(set(values))


# ---------------------------------------------------------------- countries
countries = load("countries.json")
check(isinstance(countries, list), "countries.json: top level must be a list")
codes = [c.get("code") for c in countries]
check(all(set(c) == {"code", "alpha2", "tr", "en"} for c in countries),
      "countries.json: every entry has exactly code, alpha2, tr, en")
check(all(isinstance(c, str) and re.fullmatch(r"[A-Z]{3}", c) for c in codes),
      "countries.json: code must be 3 uppercase letters (ISO 3166-1 alpha-3)")
check(all(isinstance(c.get("alpha2"), str) and re.fullmatch(r"[A-Z]{2}", c["alpha2"])
          for c in countries),
      "countries.json: alpha2 must be 2 uppercase letters")
check(unique(codes), "countries.json: duplicate code")
check(unique([c.get("alpha2") for c in countries]), "countries.json: duplicate alpha2")
check(codes == sorted(codes), "countries.json: not sorted by code")
bad = [c for c in countries if not (good_text(c.get("tr")) and good_text(c.get("en")))]
check(not bad, f"countries.json: empty/untrimmed names: {bad[:3]}")
check(unique([c["tr"] for c in countries]), "countries.json: duplicate tr name")
check(unique([c["en"] for c in countries]), "countries.json: duplicate en name")
check(248 <= len(countries) <= 252, f"countries.json: unexpected count {len(countries)}")
by_code = {c["code"]: c for c in countries}
for code in ("TUR", "DEU", "AZE", "XKX"):
    check(code in by_code, f"countries.json: {code} missing")
check(by_code.get("TUR", {}).get("tr") == "Türkiye" and by_code.get("TUR", {}).get("en") == "Türkiye",
      "countries.json: TUR must be named Türkiye in both languages")
check(by_code.get("DEU", {}).get("tr") == "Almanya", "countries.json: DEU tr must be Almanya")
check(by_code.get("AZE", {}).get("tr") == "Azerbaycan", "countries.json: AZE tr must be Azerbaycan")
check(by_code.get("USA", {}).get("tr") == "Amerika Birleşik Devletleri",
      "countries.json: USA tr must be Amerika Birleşik Devletleri")
check(by_code.get("XKX", {}).get("alpha2") == "XK" and by_code.get("XKX", {}).get("tr") == "Kosova",
      "countries.json: XKX must be Kosova / XK")

# ---------------------------------------------------------------- languages
languages = load("languages.json")
check(isinstance(languages, list), "languages.json: top level must be a list")
lcodes = [l.get("code") for l in languages]
check(all(set(l) == {"code", "tr", "en"} for l in languages),
      "languages.json: every entry has exactly code, tr, en")
check(all(isinstance(c, str) and re.fullmatch(r"[a-z]{3}", c) for c in lcodes),
      "languages.json: code must be 3 lowercase letters (ISO 639-3)")
check(unique(lcodes), "languages.json: duplicate code")
check(lcodes == sorted(lcodes), "languages.json: not sorted by code")
bad = [l for l in languages if not (good_text(l.get("tr")) and good_text(l.get("en")))]
check(not bad, f"languages.json: empty/untrimmed names: {bad[:3]}")
check(unique([l["tr"] for l in languages]), "languages.json: duplicate tr name")
check(unique([l["en"] for l in languages]), "languages.json: duplicate en name")
check(len(languages) >= 184, f"languages.json: only {len(languages)} languages")
lang = {l["code"]: l for l in languages}
required = [
    "tat", "aar", "tur", "eng", "deu", "ara", "zho", "fas", "msa", "swa", "aze",
    "uzb", "est", "lav", "kur", "crh", "ota", "ady", "kbd", "lzz", "ckb", "kmr",
    "zza", "yue", "cmn", "arz", "apc", "gag", "tuk", "kaa", "uig", "hak", "nan",
    "ase", "tsm",
]
for code in required:
    check(code in lang, f"languages.json: {code} missing")
expect = {"tat": "Tatarca", "aar": "Afarca", "tur": "Türkçe", "eng": "İngilizce",
          "deu": "Almanca", "aze": "Azerbaycan Türkçesi"}
for code, name in expect.items():
    check(lang.get(code, {}).get("tr") == name, f"languages.json: {code} tr must be {name}")
# 639-1 macrolanguage mapping spot checks: the 639-1 individual codes must not be used
for wrong in ("arb", "pes", "zsm", "swh", "azj", "uzn", "ekk", "lvs"):
    check(wrong not in lang, f"languages.json: {wrong} present; use the macrolanguage code")

# ---------------------------------------------------------------- provinces
provinces = load("provinces.json")
check(isinstance(provinces, list), "provinces.json: top level must be a list")
check(all(set(p) == {"code", "name", "districts"} for p in provinces),
      "provinces.json: every entry has exactly code, name, districts")
check([p.get("code") for p in provinces] == list(range(1, 82)),
      "provinces.json: codes must be exactly 1..81 in order")
check(all(good_text(p.get("name")) for p in provinces), "provinces.json: bad province name")
check(unique([p.get("name") for p in provinces]), "provinces.json: duplicate province name")
total = 0
for p in provinces:
    d = p.get("districts")
    if not isinstance(d, list) or not d:
        check(False, f"provinces.json: {p.get('name')} has no districts")
        continue
    total += len(d)
    check(all(good_text(x) for x in d), f"provinces.json: {p['name']} has a bad district name")
    check(unique(d), f"provinces.json: {p['name']} has duplicate districts")
    check(d == sorted(d, key=tr_key), f"provinces.json: {p['name']} districts not in Turkish order")
check(total == 973, f"provinces.json: {total} districts, expected 973")
prov = {p["name"]: p for p in provinces}
for name, n in (("Ankara", 25), ("İstanbul", 39), ("İzmir", 30), ("Bayburt", 3)):
    check(len(prov.get(name, {}).get("districts", [])) == n,
          f"provinces.json: {name} should have {n} districts")
check({"Merkez", "Aydıntepe", "Demirözü"} <= set(prov.get("Bayburt", {}).get("districts", [])),
      "provinces.json: Bayburt districts")
# 30 metropolitan provinces have no "Merkez" district, the other 51 have one.
with_merkez = sum(1 for p in provinces if "Merkez" in p["districts"])
check(with_merkez == 51, f"provinces.json: {with_merkez} provinces with Merkez, expected 51")
for name in ("İstanbul", "Iğdır", "Ağrı", "Şanlıurfa", "Çanakkale"):
    check(name in prov, f"provinces.json: province {name} missing")
for pname, dname in (("İstanbul", "Şişli"), ("Ankara", "Çankaya")):
    check(dname in prov.get(pname, {}).get("districts", []),
          f"provinces.json: {dname} missing in {pname}")

# ---------------------------------------------------------------- closed lists
closed = load("closed-lists.json")
contract = {
    "gender": ["female", "male"],
    "marital_status": ["single", "married", "divorced", "widowed"],
    "passport_type": ["ordinary", "diplomatic", "service", "special", "alien", "travel_document"],
    "turkish_level": ["beginner", "intermediate", "advanced", "native"],
    "education_level": ["primary", "secondary", "high_school", "associate",
                        "bachelor", "master", "doctorate"],
}
check(isinstance(closed, dict) and set(closed) == set(contract),
      f"closed-lists.json: lists must be exactly {sorted(contract)}")
for key, order in contract.items():
    items = closed.get(key, [])
    check([i.get("code") for i in items] == order,
          f"closed-lists.json: {key} codes/order must be {order}")
    check(all(set(i) == {"code", "tr", "en"} and good_text(i.get("tr")) and good_text(i.get("en"))
              for i in items),
          f"closed-lists.json: {key} entries need code, tr, en (non-empty)")
tr_labels = {
    "gender": ["Kadın", "Erkek"],
    "marital_status": ["Bekâr", "Evli", "Boşanmış", "Dul"],
    "passport_type": ["Umuma Mahsus (Normal) Pasaport", "Diplomatik Pasaport",
                      "Hizmet Pasaportu", "Hususi Pasaport",
                      "Yabancılara Mahsus Pasaport", "Seyahat Belgesi"],
    "turkish_level": ["Başlangıç", "Orta", "İleri", "Anadil"],
    "education_level": ["İlkokul", "Ortaokul", "Lise", "Ön Lisans", "Lisans",
                        "Yüksek Lisans", "Doktora"],
}
for key, labels in tr_labels.items():
    check([i.get("tr") for i in closed.get(key, [])] == labels,
          f"closed-lists.json: {key} Turkish labels")

print(f"countries={len(countries)} languages={len(languages)} "
      f"provinces={len(provinces)} districts={total}")
print(f"check: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
