"""Enveloped XML-DSig as SOSI uses it: exclusive c14n, lowercase `id`, certificate in ds:X509Data.

Accepts RSA-SHA1/SHA-1 (what the SOSI Seal library and the real STS send) as well as SHA-256 and up.
"""

from __future__ import annotations

import base64
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.exceptions import SignXMLException
from signxml.signer import XMLSigner
from signxml.verifier import SignatureConfiguration, XMLVerifier

import nsp_vocabulary as v

DS = v.NS["ds"]
_ACCEPTED_SIGNATURES = frozenset(
    m for m in SignatureMethod if m.name.startswith("RSA_") and "PSS" not in m.name and "MD5" not in m.name
)
_ACCEPTED_DIGESTS = frozenset(d for d in DigestAlgorithm if "SHA" in d.name)
_ALGORITHMS = {
    "rsa-sha1": (SignatureMethod.RSA_SHA1, DigestAlgorithm.SHA1),
    "rsa-sha256": (SignatureMethod.RSA_SHA256, DigestAlgorithm.SHA256),
}


class SignatureError(ValueError):
    """The signature is missing, malformed or does not verify."""


class _SosiSigner(XMLSigner):
    """signxml refuses SHA-1 by default; the real STS still signs with it."""

    def check_deprecated_methods(self) -> None:
        return None


def embedded_certificate(signed: etree._Element) -> x509.Certificate:
    """The signer's certificate from the enveloped ds:Signature/ds:KeyInfo/ds:X509Data."""
    node = signed.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if node is None or not (node.text or "").strip():
        raise SignatureError("no ds:X509Certificate in the signature")
    try:
        der = base64.b64decode("".join((node.text or "").split()), validate=True)
        return x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise SignatureError(f"unreadable certificate: {exc}") from None


def verify_enveloped(
    signed: etree._Element, cert: x509.Certificate, at: datetime, expected_id: str = "IDCard"
) -> etree._Element:
    """Verify the signature directly under `signed` (reference `#<expected_id>`); return the signed element.

    The returned element is the one the signature covers (use it, not the input, to read values).
    """
    if signed.find(f"{{{DS}}}Signature") is None:
        raise SignatureError("no enveloped ds:Signature")
    config = SignatureConfiguration(
        signature_methods=_ACCEPTED_SIGNATURES,
        digest_algorithms=_ACCEPTED_DIGESTS,
        location="./",
        expect_references=1,
        verification_time=at,
    )
    try:
        # SOSI puts a lowercase `id` on ds:Signature, which the XML-DSig schema does not allow: skip that check
        result = XMLVerifier().verify(
            signed, x509_cert=cert, id_attribute="id", expect_config=config, validate_schema=False
        )
    except (SignXMLException, ValueError, TypeError, etree.Error) as exc:
        raise SignatureError(str(exc)) from None
    covered = result.signed_xml if not isinstance(result, list) else None
    if covered is None or covered.get("id") != expected_id or covered.tag != signed.tag:
        raise SignatureError(f"signature does not cover the element with id {expected_id}")
    return covered


def sign_enveloped(
    element: etree._Element, key: rsa.RSAPrivateKey, cert_pem: str, algorithm: str = "rsa-sha1",
    element_id: str = "IDCard", signature_id: str = "OCESSignature",
) -> etree._Element:
    """Sign `element` (which carries `id=<element_id>`) the way SOSI does; return the signed copy."""
    sig_alg, digest_alg = _ALGORITHMS[algorithm]
    signer = _SosiSigner(
        signature_algorithm=sig_alg,
        digest_algorithm=digest_alg,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signer.namespaces = {"ds": DS}
    signed: etree._Element = signer.sign(
        element, key=key, cert=cert_pem, reference_uri=f"#{element_id}", id_attribute="id"
    )
    signature = signed.find(f"{{{DS}}}Signature")
    if signature is not None:
        signature.set("id", signature_id)
    return signed
