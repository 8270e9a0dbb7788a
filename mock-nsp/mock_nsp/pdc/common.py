"""What the PDC entry builders share: the build context, display names and the observation skeleton."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

import nsp_vocabulary as v
from mock_nsp.pdc.xml import sub


@dataclass(frozen=True)
class BuildContext:
    """Everything but the citizen that the document depends on."""

    now: datetime
    unavailable: frozenset[str]
    protected_marker: str = v.PROTECTED_MARKER_DEFAULT
    variant: str = "v3"

    def available(self, register: str) -> bool:
        return register not in self.unavailable


DISPLAY = {
    "CitizenNameAddr": "Borgerens navn og adresse",
    "CoverageGroup": "Sygesikringsgruppe",
    "OrganDonorRegistration": "Registreret organdonor",
    "TreatmentWillRegistration": "Registreret behandlingstestamente",
    "LivingWillRegistration": "Registreret livstestamente",
    "NoResuscitationRegistration": "Registreret fravalg af genoplivningsforsøg v. hjertestop",
    "ChildCustody": "Forældremyndighed over",
    "LanguageTypedIn": "Talt sprog, indtastet",
    "TempAddrTypedIn": "Midlertidig adresse, indtastet",
    "DentistTypedIn": "Tandlæge indtastet",
    "PatientContactTypedIn": "Kontaktoplysninger, indtastet",
    "RelativeTypedIn": "Pårørende, indtastet",
}


def observation(section: etree._Element, code: str, id_root: str = "1.2.208.184", id_ext: str | None = None,
                 fsk: bool = False) -> etree._Element:
    obs = sub(sub(section, "entry", typeCode="COMP"), "observation", classCode="OBS", moodCode="EVN")
    ext = v.FGVH_TEMPLATE_EXT if code == "NoResuscitationRegistration" else v.ENTRY_TEMPLATE_EXT
    sub(obs, "templateId", root=v.ENTRY_TEMPLATES[code], extension=ext)
    ident = {"assigningAuthorityName": "FSK"} if fsk else {}
    sub(obs, "id", root=id_root, extension=id_ext or str(uuid.uuid4()), **ident)
    sub(obs, "code", code=code, codeSystem=v.OID_MEDCOM_MESSAGE_CODES, codeSystemName="MedCom Message Codes",
        displayName=DISPLAY[code])
    return obs
