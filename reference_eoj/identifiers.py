"""How the EOJ names the employee's unit and the employee to NSP: which identifier, under which NameFormat or source.

A unit may have a SOR code, a ydernummer (a GP practice) and an SKS/SHAK code (a hospital department); HSUID names
it by any of them (hsuid-1_1.xsd ``subjectIdentifierType``), MinLog2 by SOR, YDER or CVR (2025-03-12 schema), and
MinLog2 names the employee by CPR or authorisation id. The reference EOJ uses the SOR code and the CPR number; the
allowed variants (``gp-ydernummer``, ``hospital-sks``, ``minlog-organisation-cvr``, ``minlog-user-authorisation``)
and the seeded defects (``hsuid-ydernummer-as-sor``, ``minlog-ydernummer-as-sor``, ``minlog-authorisation-as-cpr``)
choose otherwise.
"""

from __future__ import annotations

import nsp_vocabulary as v
from reference_eoj.defects import Defect, Defects
from reference_eoj.users import Employee
from reference_eoj.variants import Variant, Variants


def hsuid_organisation(employee: Employee, variants: Variants, defects: Defects) -> tuple[str, str]:
    """(NameFormat, value) of HSUID ``nsi:OrgUsingID``."""
    if Defect.HSUID_YDERNUMMER_AS_SOR in defects and employee.yder_number:
        return v.HSUID_ORG_NAMEFORMAT_SOR, employee.yder_number
    if Variant.GP_YDERNUMMER in variants and employee.yder_number:
        return v.HSUID_ORG_NAMEFORMAT_YDER, employee.yder_number
    if Variant.HOSPITAL_SKS in variants and employee.sks_code:
        return v.HSUID_ORG_NAMEFORMAT_SKS, employee.sks_code
    return v.HSUID_ORG_NAMEFORMAT_SOR, employee.sor_code


def minlog_organisation(employee: Employee, cvr: str, variants: Variants, defects: Defects) -> tuple[str, str]:
    """(source, value) of MinLog2 ``OrganisationId``; ``cvr`` is the function certificate's."""
    if Defect.MINLOG_YDERNUMMER_AS_SOR in defects and employee.yder_number:
        return "SOR", employee.yder_number
    if Variant.GP_YDERNUMMER in variants and employee.yder_number:
        return "YDER", employee.yder_number
    if Variant.MINLOG_ORGANISATION_CVR in variants:
        return "CVR", cvr
    return "SOR", employee.sor_code


def minlog_user(employee: Employee, variants: Variants, defects: Defects) -> tuple[str, str]:
    """(source, value) of MinLog2 ``UserPersonIdentifier``."""
    if employee.authorisation_id and Defect.MINLOG_AUTHORISATION_AS_CPR in defects:
        return "CPR", employee.authorisation_id
    if employee.authorisation_id and Variant.MINLOG_USER_AUTHORISATION in variants:
        return "Autorisation", employee.authorisation_id
    return "CPR", employee.cpr
