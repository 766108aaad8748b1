"""The certificate as portable, machine-verifiable credentials.

- openbadge: the Open Badges 3.0 OpenBadgeCredential (W3C VC 2.0) of a
  certificate, built from its frozen printed content (openbadge_build)
- jose: the school's key as a JWK, the published JWKS, VC-JWT signing
- status: the Bitstring Status List that revocation updates
- verify: checking a VC-JWT with the JWKS and the status list
- loader: an offline JSON-LD loader serving the vendored contexts (contexts/)
- models: the per-certificate record (status-list bit, hashed email)

Nothing here imports at package import time: certificates.models imports
credentials.models while the app registry loads.
"""
