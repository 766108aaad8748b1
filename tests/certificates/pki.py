"""A complete local test PKI (certomancer): a root, an intermediate CA, the
school's signing certificate and another signer's, a timestamp authority, an
OCSP responder for the intermediate and CRLs for both CAs, served over HTTP on
127.0.0.1 by certomancer's aiohttp application in a thread of its own.

The school signs exactly as in production (MAKERS_TSA_URL, OCSP and CRLs
fetched from the addresses in the certificates): nothing of pyHanko is mocked.
Certificates are valid 2000-2100, so no test depends on the wall clock.
"""

import asyncio
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from certomancer.integrations.aiohttp_illusionist import AsyncIllusionist
from certomancer.registry import (
    ArchLabel,
    CertLabel,
    CertomancerConfig,
    PKIArchitecture,
)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_KEYS = ("root", "interm", "interm-ocsp", "tsa", "school", "other")
_VALID = {
    "valid-from": "2000-01-01T00:00:00+0000",
    "valid-to": "2100-01-01T00:00:00+0000",
}
PASSPHRASE = b"test-pki"


def _key_usage(*usages: str) -> dict:
    return {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": list(usages)},
    }


def _crl_from(repo: str) -> dict:
    return {
        "id": "crl_distribution_points",
        "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [repo]}},
    }


def _signer() -> dict:
    return {
        "issuer": "interm",
        "validity": _VALID,
        "extensions": [
            _key_usage("digital_signature", "non_repudiation"),
            _crl_from("interm"),
            {
                "id": "authority_information_access",
                "smart-value": {
                    "schema": "aia-urls",
                    "params": {"ocsp-responder-names": ["interm"]},
                },
            },
        ],
    }


def _certs() -> dict:
    ca = {"id": "basic_constraints", "critical": True, "value": {"ca": True}}
    return {
        "root": {
            "subject": "root",
            "issuer": "root",
            "validity": _VALID,
            "extensions": [
                ca,
                _key_usage("digital_signature", "key_cert_sign", "crl_sign"),
            ],
        },
        "interm": {
            "issuer": "root",
            "validity": _VALID,
            "extensions": [
                ca,
                _key_usage("digital_signature", "key_cert_sign", "crl_sign"),
                _crl_from("root"),
            ],
        },
        "interm-ocsp": {
            "issuer": "interm",
            "validity": _VALID,
            "extensions": [
                _key_usage("digital_signature"),
                {
                    "id": "extended_key_usage",
                    "critical": True,
                    "value": ["ocsp_signing"],
                },
                {"id": "ocsp_no_check"},
            ],
        },
        "tsa": {
            "issuer": "root",
            "validity": _VALID,
            "extensions": [
                _key_usage("digital_signature"),
                {
                    "id": "extended_key_usage",
                    "critical": True,
                    "value": ["time_stamping"],
                },
                _crl_from("root"),
            ],
        },
        "school": _signer(),
        "other": _signer(),
    }


def _config(*, key_dir: Path, url: str) -> CertomancerConfig:
    keys = {label: {"path": f"{label}.key.pem"} for label in _KEYS}
    entities = {label: {"common-name": f"Test {label}"} for label in _KEYS}
    entities["school"] = {"common-name": "Makers' School (test PKI)"}
    config = {
        "external-url-prefix": url,
        "keysets": {"test": {"path-prefix": str(key_dir), "keys": keys}},
        "pki-architectures": {
            "test": {
                "keyset": "test",
                "entity-defaults": {"country-name": "IT", "organization-name": "Test"},
                "entities": entities,
                "certs": _certs(),
                "services": {
                    "ocsp": {
                        "interm": {
                            "for-issuer": "interm",
                            "responder-cert": "interm-ocsp",
                            "signing-key": "interm-ocsp",
                        }
                    },
                    "crl-repo": {
                        "root": {
                            "for-issuer": "root",
                            "signing-key": "root",
                            "simulated-update-schedule": "P90D",
                        },
                        "interm": {
                            "for-issuer": "interm",
                            "signing-key": "interm",
                            "simulated-update-schedule": "P30D",
                        },
                    },
                    "time-stamping": {
                        "tsa": {"signing-key": "tsa", "signing-cert": "tsa"}
                    },
                },
            }
        },
    }
    return CertomancerConfig(config, key_search_dir=str(key_dir))


def _keys_write(key_dir: Path) -> None:
    key_dir.mkdir(parents=True, exist_ok=True)
    for label in _KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (key_dir / f"{label}.key.pem").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


@dataclass
class LocalPki:
    arch: PKIArchitecture
    tsa_url: str
    school_p12: Path
    other_p12: Path
    stop: callable


def _serve(arch: PKIArchitecture, sock: socket.socket):
    """certomancer's aiohttp application on `sock`, in a thread; returns stop()."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(AsyncIllusionist(arch).build_app(), access_log=None)

    async def start():
        await runner.setup()
        await web.SockSite(runner, sock).start()

    loop.run_until_complete(start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def stop():
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)

    return stop


def pki_start(directory: Path) -> LocalPki:
    """Keys, certificates and the HTTP services of the test PKI; call stop()."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    _keys_write(directory / "keys")
    arch = _config(key_dir=directory / "keys", url=url).get_pki_arch(ArchLabel("test"))
    p12 = {}
    for label in ("school", "other"):
        p12[label] = directory / f"{label}.p12"
        p12[label].write_bytes(
            arch.package_pkcs12(
                CertLabel(label),
                certs_to_embed=[CertLabel("interm"), CertLabel("root")],
                password=PASSPHRASE,
            )
        )
    tsa_url = arch.service_registry.list_time_stamping_services()[0].url
    return LocalPki(
        arch=arch,
        tsa_url=tsa_url,
        school_p12=p12["school"],
        other_p12=p12["other"],
        stop=_serve(arch, sock),
    )
