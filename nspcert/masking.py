"""Identity-masking pseudonyms (IDSAS), computed independently of any SUT (domain-nsp.md §5).

UUID v5 in namespace 6ba7b812-9dad-11d1-80b4-00c04fd430c8 of `FORNAVN(E)+EFTERNAVN(E)+CPR+SALT`:
names upper-cased with spaces as `+`, the citizen's CPR, the salt as the Base64 text GetCurrentSalt
gave, UTF-8 throughout.
"""

from __future__ import annotations

import uuid

from nspcert import vocabulary as v


def pseudonym_input(given_names: str, family_names: str, citizen_cpr: str, salt: str) -> str:
    names = [part.upper().replace(" ", "+") for part in (given_names.strip(), family_names.strip())]
    return "+".join([*names, citizen_cpr, salt])


def pseudonym(given_names: str, family_names: str, citizen_cpr: str, salt: str) -> str:
    return str(uuid.uuid5(uuid.UUID(v.PSEUDONYM_NAMESPACE), pseudonym_input(given_names, family_names, citizen_cpr,
                                                                            salt)))
