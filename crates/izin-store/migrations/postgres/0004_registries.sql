-- The government registries as the embedded simulator keeps them, filled from a JSON fixture
-- (`izin registry import`). Rows are only ever added or corrected by an import; the portal reads.

-- Work permits, work-permit exemptions and residence permits by foreigner identity number.
CREATE TABLE registry_residence_rights (
    foreigner_id TEXT NOT NULL,
    kind         TEXT NOT NULL
                 CHECK (kind IN ('residence_permit', 'work_permit', 'work_permit_exemption')),
    valid_from   DATE NOT NULL,
    valid_until  DATE NOT NULL,
    UNIQUE (foreigner_id, kind, valid_from, valid_until)
);

-- Entries and exits at the border, by passport.
CREATE TABLE registry_border_crossings (
    passport_number  TEXT NOT NULL,
    passport_country TEXT NOT NULL,
    birth_year       INTEGER NOT NULL,
    direction        TEXT NOT NULL CHECK (direction IN ('entry', 'exit')),
    date             DATE NOT NULL,
    UNIQUE (passport_number, passport_country, birth_year, direction, date)
);

-- Reference numbers Turkish missions abroad give applicants.
CREATE TABLE registry_consulate_references (
    reference_number TEXT PRIMARY KEY,
    passport_number  TEXT NOT NULL,
    birth_year       INTEGER NOT NULL
);

-- The address registry: 10-digit address codes.
CREATE TABLE registry_addresses (
    code     TEXT PRIMARY KEY,
    address  TEXT NOT NULL,
    province TEXT NOT NULL,
    district TEXT NOT NULL
);

-- SGK workplaces by their 26-digit registration number.
CREATE TABLE registry_workplaces (
    sgk_number TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    province   TEXT NOT NULL,
    district   TEXT NOT NULL
);
