"""Identity-masking pseudonyms (IDSAS), computed independently of any SUT (domain-nsp.md §5).

UUID v5 in namespace 6ba7b812-9dad-11d1-80b4-00c04fd430c8 of `FORNAVN(E)+EFTERNAVN(E)+CPR+SALT`:
names upper-cased with spaces as `+`, the citizen's CPR, the salt as the Base64 text GetCurrentSalt
gave, UTF-8 throughout.

"Spaces as `+`" is taken literally, as IDSAS words it ("alle mellemrum i fornavn(e) og efternavn(e) skal
erstattes med '+'"): every space is one `+`, so "Hanne  Marie" gives `HANNE++MARIE`, and nothing is
trimmed or collapsed. Every data source computes the pseudonym on its own; they agree on a person only if
none of them tidies the name its own way.
"""

from __future__ import annotations

import uuid

import nsp_vocabulary as v


def pseudonym_input(given_names: str, family_names: str, citizen_cpr: str, salt: str) -> str:
    names = [part.upper().replace(" ", "+") for part in (given_names, family_names)]
    return "+".join([*names, citizen_cpr, salt])


def pseudonym(given_names: str, family_names: str, citizen_cpr: str, salt: str) -> str:
    return str(uuid.uuid5(uuid.UUID(v.PSEUDONYM_NAMESPACE), pseudonym_input(given_names, family_names, citizen_cpr,
                                                                            salt)))
