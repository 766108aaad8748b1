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

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import cms, core
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign.general import (
    as_signing_certificate,
    get_pyca_cryptography_hash,
    simple_cms_attribute,
)
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator import ValidationContext

from .dev_pki import DEV_CRL_NAME, DEV_TSA_P12_NAME


class _OfflineByDesign(logging.Filter):
    """pyHanko warns, on every signature, that it embeds validation data
    without fetching any: with the development PKI that is the design (the CRL
    is supplied), so the warning is dropped. In production fetching is on and
    pyHanko never says it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineByDesign())


# How long signatures share one validation context (its moment, its chains, its
# OCSP responses and CRLs): a bulk issue's batch, well inside any OCSP
# response's or CRL's validity.
CONTEXT_SECONDS = 60


@dataclass
class LtvSources:
    """Where a signature's timestamps and validation data come from."""

    timestamper: TimeStamper
    trust_roots: list[asn1_x509.Certificate] = field(default_factory=list)
    other_certs: list[asn1_x509.Certificate] = field(default_factory=list)
    crls: list[asn1_crl.CertificateList] = field(default_factory=list)
    # Fetch OCSP responses and CRLs from the addresses in the certificates.
    fetching: bool = False

    # This thread's context and when it was made (validation_context).
    _kept: threading.local = field(
        default_factory=threading.local, repr=False, compare=False
    )

    def validation_context(self) -> ValidationContext:
        """The context a batch of signatures shares: the chains it built and
        the OCSP responses and CRLs it gathered (fetched once, not once per
        document) serve every signature for CONTEXT_SECONDS, then a fresh one
        is made. One per thread (its fetchers serve one event loop at a time)."""
        now = time.monotonic()
        kept = getattr(self._kept, "context", None)
        if kept is None or now - kept[0] > CONTEXT_SECONDS:
            kept = (now, self.validation_context_new())
            self._kept.context = kept
        return kept[1]

    def validation_context_new(self) -> ValidationContext:
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


class _KeptKeyTimeStamper(DummyTimeStamper):
    """pyHanko's in-process timestamp authority, with its RSA key parsed once:
    DummyTimeStamper parses it again for every timestamp, which made a B-LTA
    signature ten times slower than a B-B one. The signed attributes are
    DummyTimeStamper's own (_sign_tst_info, pyHanko 0.38)."""

    def __init__(self, *args, pyca_key: rsa.RSAPrivateKey, **kwargs):
        super().__init__(*args, **kwargs)
        self._pyca_key = pyca_key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt):
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute(
                    "signing_time", cms.Time({"utc_time": core.UTCTime(dt)})
                ),
                simple_cms_attribute(
                    "signing_certificate", as_signing_certificate(self.tsa_cert)
                ),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._pyca_key.sign(
            signed_attrs.dump(),
            padding.PKCS1v15(),
            get_pyca_cryptography_hash(md_algorithm.upper()),
        )
        return signature, signed_attrs


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER)
    )


def _dev_timestamper(
    directory: Path, passphrase: bytes | None
) -> tuple[_KeptKeyTimeStamper, list[asn1_x509.Certificate]]:
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
    timestamper = _KeptKeyTimeStamper(
        tsa_cert=_asn1(certificate),
        tsa_key=load_private_key_from_pemder_data(private_key_der, None),
        certs_to_embed=chain,
        pyca_key=key,
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
