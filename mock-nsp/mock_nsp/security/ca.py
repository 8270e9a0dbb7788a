"""The mock's test CA: issues function (organisation) and employee certificates, trusted by the mock STS."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

KIND_FUNCTION = "function"
KIND_EMPLOYEE = "employee"
KIND_STS = "sts"
_SERIAL_PREFIX = {KIND_FUNCTION: "UI:DK-O:G:", KIND_EMPLOYEE: "UI:DK-E:G:", KIND_STS: "UI:DK-O:G:"}
_KEY_SIZE = 2048
#: an OCES2 employee certificate's serialNumber; the real RID is looked up in the CA's RID-CPR service
_RID = re.compile(r"CVR:(\d{8})-RID:(\d{10})")
#: a certificate issued without a period is valid from ten years ago to ten years ahead
DEFAULT_VALIDITY = timedelta(days=3650)


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    kind: str

    @property
    def cert_pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def key_pem(self) -> str:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()

    def pkcs12(self, password: str, ca: x509.Certificate) -> bytes:
        enc = serialization.BestAvailableEncryption(password.encode())
        return pkcs12.serialize_key_and_certificates(b"mock-nsp", self.key, self.cert, [ca], enc)


@dataclass(frozen=True)
class Subject:
    """Who a certificate is for."""

    kind: str
    cvr: str
    name: str
    cpr: str | None = None


def _serial(cert: x509.Certificate) -> str:
    serials = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    return str(serials[0].value) if serials else ""


def cert_kind(cert: x509.Certificate) -> str | None:
    """function|employee from the subject serialNumber: OCES3 `UI:DK-O:…`/`UI:DK-E:…`, or an OCES2 employee
    (MOCES) `CVR:<cvr>-RID:<rid>`."""
    serial = _serial(cert)
    if serial.startswith("UI:DK-E:") or _RID.fullmatch(serial):
        return KIND_EMPLOYEE
    if serial.startswith("UI:DK-O:"):
        return KIND_FUNCTION
    return None


def cert_cpr(cert: x509.Certificate) -> str | None:
    """The employee's CPR: the RID of an OCES2-style employee certificate from this CA (the mock's RID-CPR
    register is the identity: the RID it writes is the CPR)."""
    match = _RID.fullmatch(_serial(cert))
    return match.group(2) if match else None


def cert_cvr(cert: x509.Certificate) -> str | None:
    """The CVR in organizationIdentifier (NTRDK-<cvr>)."""
    for attr in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER):
        value = str(attr.value)
        if value.startswith("NTRDK-"):
            return value[len("NTRDK-") :]
    return None


def cert_sha1_b64(cert: x509.Certificate) -> str:
    """OCESCertHash as SOSI Seal computes it: Base64 SHA-1 of the DER certificate."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return base64.b64encode(hashlib.sha1(der).digest()).decode()


class TestCA:
    """A self-signed root with the mock STS certificate; optionally persisted in a state directory."""

    __test__ = False

    def __init__(self, root: Issued, sts: Issued) -> None:
        self.root = root
        self.sts = sts

    @classmethod
    def load_or_create(cls, state_dir: Path | None, name: str = "Mock NSP Test CA") -> TestCA:
        if state_dir is not None and (state_dir / "ca.pem").exists():
            return cls._load(state_dir)
        ca = cls.create(name)
        if state_dir is not None:
            ca._save(state_dir)
        return ca

    @classmethod
    def create(cls, name: str = "Mock NSP Test CA") -> TestCA:
        key = _new_key()
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name), _country()])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=3650))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_usage(), critical=True)
            .sign(key, hashes.SHA256())
        )
        root = Issued(cert, key, "ca")
        ca = cls(root, root)
        sts = ca.issue(Subject(KIND_STS, "33257872", "MOCK-NSP-STS"))
        return cls(root, sts)

    def issue(
        self, subject: Subject, not_before: datetime | None = None, not_after: datetime | None = None
    ) -> Issued:
        key = _new_key()
        not_before, not_after = validity(not_before, not_after)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_subject_name(subject))
            .issuer_name(self.root.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_leaf_usage(), critical=True)
            .sign(self.root.key, hashes.SHA256())
        )
        return Issued(cert, key, subject.kind)

    def issued_by_me(self, cert: x509.Certificate) -> bool:
        try:
            cert.verify_directly_issued_by(self.root.cert)
        except Exception:  # noqa: BLE001 - any failure (wrong issuer, bad signature, odd key type) means "not ours"
            return False
        return True

    def _save(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        for stem, issued in (("ca", self.root), ("sts", self.sts)):
            (state_dir / f"{stem}.pem").write_text(issued.cert_pem)
            key_path = state_dir / f"{stem}.key"
            key_path.write_text(issued.key_pem)
            key_path.chmod(0o600)

    @classmethod
    def _load(cls, state_dir: Path) -> TestCA:
        return cls.from_pem({f"{stem}.{ext}": (state_dir / f"{stem}.{ext}").read_text()
                             for stem in ("ca", "sts") for ext in ("pem", "key")})

    def to_pem(self) -> dict[str, str]:
        """The root and STS certificates and keys as PEM (`ca.pem`, `ca.key`, `sts.pem`, `sts.key`), to store."""
        return {"ca.pem": self.root.cert_pem, "ca.key": self.root.key_pem, "sts.pem": self.sts.cert_pem,
                "sts.key": self.sts.key_pem}

    @classmethod
    def from_pem(cls, pem: dict[str, str]) -> TestCA:
        def load(stem: str, kind: str) -> Issued:
            cert = x509.load_pem_x509_certificate(pem[f"{stem}.pem"].encode())
            key = serialization.load_pem_private_key(pem[f"{stem}.key"].encode(), None,
                                                     unsafe_skip_rsa_key_validation=True)
            assert isinstance(key, rsa.RSAPrivateKey)
            return Issued(cert, key, kind)

        return cls(load("ca", "ca"), load("sts", KIND_STS))


def validity(not_before: datetime | None, not_after: datetime | None) -> tuple[datetime, datetime]:
    """The period a certificate is issued for: the given ends, or DEFAULT_VALIDITY around now."""
    now = datetime.now(UTC)
    return not_before or now - DEFAULT_VALIDITY, not_after or now + DEFAULT_VALIDITY


def new_password() -> str:
    return secrets.token_urlsafe(12)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=_KEY_SIZE)


def _country() -> x509.NameAttribute[str]:
    return x509.NameAttribute(NameOID.COUNTRY_NAME, "DK")


def _subject_name(subject: Subject) -> x509.Name:
    attrs = [
        _country(),
        x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRDK-{subject.cvr}"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject.name if subject.kind != KIND_EMPLOYEE else f"CVR {subject.cvr}"),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, _serial_number(subject)),
        x509.NameAttribute(NameOID.COMMON_NAME, subject.name),
    ]
    return x509.Name(attrs)


def _serial_number(subject: Subject) -> str:
    """OCES3 style, or for an employee with a CPR the OCES2 `CVR:<cvr>-RID:<rid>` an STS maps to the CPR."""
    if subject.kind == KIND_EMPLOYEE and subject.cpr:
        return f"CVR:{subject.cvr}-RID:{subject.cpr}"
    return _SERIAL_PREFIX[subject.kind] + str(uuid.uuid4())


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
    )


def _leaf_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=True, data_encipherment=False,
        key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
    )
