"""Client-credentials tokens, as ``POST https://api.aspose.cloud/connect/token`` issues them.

A client configured with ``--client ID:SECRET`` posts
``grant_type=client_credentials&client_id=ID&client_secret=SECRET``
(form-encoded; HTTP Basic client authentication and a JSON body work too)
and receives ``{"access_token": ..., "token_type": "Bearer", "expires_in": 3600}``.
The token is a JWT signed with HMAC-SHA256 (``HS256``) by a key only the
server knows (kept in the task database, so tokens survive a restart, or
``OCRPREP_SERVICE_TOKEN_SECRET``);
it carries the client id (``sub``), issue and expiry times.  Every API
request then sends ``Authorization: Bearer <token>``.  Every token is held to
the server's lifetime (``ttl``) counted from its issue time, whatever expiry
it claims, so a token made with a stolen key lasts no longer than one issued
here.  The key is kept private: the database is readable by its owner only
(see :mod:`~ocrprep.service.files`).

Secrets and signatures are compared in constant time.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Mapping

__all__ = ["TokenIssuer", "AuthError", "Claims"]

ISSUER = "ocrprep"

#: seconds a token's issue time may lie in the future (clocks of one machine: a little rounding)
CLOCK_SKEW = 5.0


class AuthError(Exception):
    """A token or credential problem: ``code`` is the OAuth error name, ``status`` the HTTP status."""

    def __init__(self, message: str, code: str = "invalid_token", status: int = 401):
        super().__init__(message)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Claims:
    client_id: str
    issued_at: float
    expires_at: float
    token_id: str


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    pad = "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(text + pad)


_HEADER = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())


class TokenIssuer:
    """Checks client credentials, issues and verifies bearer tokens.

    Parameters
    ----------
    clients : mapping of client id -> secret
    key : bytes
        The HMAC key (16 bytes at least).
    ttl : float
        Token lifetime in seconds.

    Examples
    --------
    >>> issuer = TokenIssuer({"app": "a-long-secret"}, key=b"k" * 32, ttl=60)
    >>> token = issuer.issue("app", "a-long-secret")
    >>> token["token_type"], token["expires_in"]
    ('Bearer', 60)
    >>> issuer.verify(token["access_token"]).client_id
    'app'
    """

    def __init__(self, clients: Mapping[str, str], key: bytes, ttl: float = 3600.0, clock=time.time):
        if len(key) < 16:
            raise ValueError("the token key must be at least 16 bytes")
        self._clients = dict(clients)
        self._key = bytes(key)
        self.ttl = float(ttl)
        self._clock = clock

    def check_client(self, client_id: str, client_secret: str) -> None:
        """Raise :class:`AuthError` (``invalid_client``, 401) unless the pair is a configured client."""
        expected = self._clients.get(client_id)
        # compare against a dummy for unknown ids too, so timing does not reveal which ids exist
        # surrogatepass: a secret holding a lone surrogate is simply wrong, never an encoding crash
        ok = hmac.compare_digest(
            (client_secret or "").encode("utf-8", "surrogatepass"),
            (expected if expected is not None else "\0" * 32).encode("utf-8", "surrogatepass"),
        )
        if expected is None or not ok:
            if expected is not None and " " in (client_secret or "") and hmac.compare_digest(
                    client_secret.replace(" ", "+").encode("utf-8", "surrogatepass"),
                    expected.encode("utf-8", "surrogatepass")):
                # the right secret, but a form body decodes '+' as a blank: say so (never accept it)
                raise AuthError("wrong secret: its '+' signs arrived as blanks (a form body decodes '+' as a "
                                "blank); URL-encode them as %2B (curl --data-urlencode client_secret=...)",
                                code="invalid_client", status=401)
            raise AuthError("unknown client or wrong secret", code="invalid_client", status=401)

    def issue(self, client_id: str, client_secret: str) -> dict:
        """The token response for valid credentials (see the module docstring)."""
        self.check_client(client_id, client_secret)
        now = self._clock()
        exp = now + self.ttl
        payload = {
            "iss": ISSUER,
            "sub": client_id,
            "iat": int(now),
            "nbf": int(now),
            "exp": round(exp, 3),
            "jti": secrets.token_hex(8),
        }
        body = _b64url(json.dumps(payload, separators=(",", ":")).encode())
        signing_input = f"{_HEADER}.{body}"
        token = f"{signing_input}.{self._sign(signing_input)}"
        return {"access_token": token, "token_type": "Bearer", "expires_in": int(round(self.ttl))}

    def _sign(self, signing_input: str) -> str:
        return _b64url(hmac.new(self._key, signing_input.encode("ascii"), hashlib.sha256).digest())

    def verify(self, token: str) -> Claims:
        """The claims of a valid, unexpired token; :class:`AuthError` otherwise."""
        if not token or token.count(".") != 2 or len(token) > 4096:
            raise AuthError("malformed access token")
        header, body, signature = token.split(".")
        try:
            signing_input = f"{header}.{body}"
            signing_input.encode("ascii")
        except UnicodeEncodeError:
            raise AuthError("malformed access token") from None
        if not hmac.compare_digest(self._sign(signing_input), signature):
            raise AuthError("invalid access token signature")
        try:
            head = json.loads(_unb64url(header))
            claims = json.loads(_unb64url(body))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise AuthError("malformed access token") from None
        if not isinstance(head, dict) or head.get("alg") != "HS256" or not isinstance(claims, dict):
            raise AuthError("unsupported access token")
        exp, sub, iat = claims.get("exp"), claims.get("sub"), claims.get("iat")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (exp, iat)) or not isinstance(sub, str):
            raise AuthError("malformed access token")
        now = self._clock()
        # the hard maximum lifetime, whatever the token claims: a token signed with a leaked key
        # (or issued under a longer --token-ttl) lives no longer than this server's tokens
        if exp - iat > self.ttl + 1 or iat > now + CLOCK_SKEW:
            raise AuthError("the access token claims a lifetime this server never issues; request a new one")
        if now >= exp or now >= iat + self.ttl + 1:
            raise AuthError("the access token has expired; request a new one from /connect/token")
        if sub not in self._clients:
            raise AuthError("the client of this token is no longer configured")
        return Claims(sub, float(claims.get("iat", 0)), float(exp), str(claims.get("jti", "")))


def parse_basic(header: str) -> tuple[str, str] | None:
    """``(client_id, client_secret)`` from an ``Authorization: Basic ...`` header, or None."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    cid, sep, secret = decoded.partition(":")
    if not sep:
        return None
    from urllib.parse import unquote

    return unquote(cid), unquote(secret)


def parse_bearer(header: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    value = value.strip()
    return value or None
