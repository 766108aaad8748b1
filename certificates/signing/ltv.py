"""What makes a signature last (PAdES B-LTA): a timestamp authority and the
validation data (certificates, OCSP responses, CRLs) embedded with it.

Two shapes, one code path:
- production: MAKERS_TSA_URL names an RFC 3161 timestamp authority (over HTTP),
  and the OCSP responders and CRLs named in the certificates are fetched when
  signing, then embedded in the PDF's DSS;
- development (`make run`, tests): the development PKI beside the key
  (dev_pki) has a timestamp authority that signs in process and a CRL that is
  embedded directly; nothing goes on the network.

Without either the signature is PAdES B-B, as before.
"""

from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext

from .dev_pki import DEV_CRL_NAME, DEV_TSA_P12_NAME


@dataclass
class LtvSources:
    """Where a signature's timestamps and validation data come from."""

    timestamper: TimeStamper
    trust_roots: list[asn1_x509.Certificate] = field(default_factory=list)
    other_certs: list[asn1_x509.Certificate] = field(default_factory=list)
    crls: list[asn1_crl.CertificateList] = field(default_factory=list)
    # Fetch OCSP responses and CRLs from the addresses in the certificates.
    fetching: bool = False

    def validation_context(self) -> ValidationContext:
        """A fresh context (it keeps what it fetched) that requires revocation
        information for every certificate but the roots: what it gathers is
        what the DSS embeds; signing fails rather than embed too little."""
        return ValidationContext(
            trust_roots=self.trust_roots,
            other_certs=self.other_certs,
            crls=self.crls,
            allow_fetching=self.fetching,
            revocation_mode="require",
        )


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER)
    )


def _dev_timestamper(
    directory: Path, passphrase: bytes | None
) -> tuple[DummyTimeStamper, list[asn1_x509.Certificate]]:
    """The development timestamp authority (dev-tsa.p12), signing in process,
    and its chain."""
    key, certificate, others = pkcs12.load_key_and_certificates(
        (directory / DEV_TSA_P12_NAME).read_bytes(), passphrase
    )
    chain = [_asn1(other) for other in others or []]
    private_key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    timestamper = DummyTimeStamper(
        tsa_cert=_asn1(certificate),
        tsa_key=load_private_key_from_pemder_data(private_key_der, None),
        certs_to_embed=chain,
    )
    return timestamper, chain


def ltv_sources(
    *,
    key_path: Path,
    passphrase: bytes | None,
    trust_roots: list[asn1_x509.Certificate],
    chain: list[asn1_x509.Certificate],
) -> LtvSources | None:
    """The sources for the key at key_path: MAKERS_TSA_URL and fetching, else
    the development PKI beside the key, else None (PAdES B-B)."""
    if settings.MAKERS_TSA_URL:
        return LtvSources(
            timestamper=HTTPTimeStamper(settings.MAKERS_TSA_URL),
            trust_roots=trust_roots,
            other_certs=chain,
            fetching=True,
        )
    directory = Path(key_path).parent
    if not (directory / DEV_TSA_P12_NAME).is_file():
        return None
    crl_path = directory / DEV_CRL_NAME
    crls = (
        [asn1_crl.CertificateList.load(crl_path.read_bytes())]
        if crl_path.is_file()
        else []
    )
    timestamper, tsa_chain = _dev_timestamper(directory, passphrase)
    return LtvSources(
        timestamper=timestamper,
        trust_roots=trust_roots,
        other_certs=chain + tsa_chain,
        crls=crls,
    )
