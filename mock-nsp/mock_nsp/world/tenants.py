"""The tenants of one mock: the default one (the root routes) and those an operator creates, each with its own
admin token and test CA. A replica builds a tenant's world the first time a request names it."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading

from mock_nsp.security.ca import TestCA
from mock_nsp.settings import Settings
from mock_nsp.world.journal import Journal
from mock_nsp.world.store import DEFAULT_TENANT, Store, TenantRecord
from mock_nsp.world.tenant import World, first_sections

#: a tenant's name: what `/t/{name}/…` carries
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


class TenantExists(ValueError):
    """A tenant of that name exists already."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Tenants:
    def __init__(self, settings: Settings, store: Store, journal: Journal) -> None:
        self.settings, self.store, self.journal = settings, store, journal
        self._worlds: dict[str, World] = {}
        self._lock = threading.Lock()

    def open(self) -> World:
        """Make sure the default tenant exists (its CA from the state directory, when one is given); its world."""
        if self.store.tenant(DEFAULT_TENANT) is None:
            ca = TestCA.load_or_create(self.settings.state_dir)
            self.store.create_tenant(TenantRecord(DEFAULT_TENANT, None, ca.to_pem()), first_sections(self.settings))
        world = self.world(DEFAULT_TENANT)
        assert world is not None
        return world

    @property
    def default(self) -> World:
        return self._worlds[DEFAULT_TENANT]

    def world(self, name: str) -> World | None:
        """The tenant's world, fresh; None for a tenant that does not exist."""
        world = self._worlds.get(name)
        if world is None and not NAME.fullmatch(name):
            return None
        if world is None:
            with self._lock:
                world = self._worlds.get(name) or self._build(name)
        if world is not None:
            world.refresh()
        return world

    def _build(self, name: str) -> World | None:
        record = self.store.tenant(name)
        if record is None:
            return None
        world = self._worlds[name] = World(name, self.settings, self.store, self.journal, TestCA.from_pem(record.ca_pem))
        world.token_sha256 = record.token_sha256
        return world

    def create(self, name: str) -> tuple[World, str]:
        """A new tenant with its own admin token (returned once; only its digest is kept) and test CA."""
        token = secrets.token_urlsafe(32)
        ca = TestCA.create(f"Mock NSP Test CA ({name})")
        if not self.store.create_tenant(TenantRecord(name, token_digest(token), ca.to_pem()), first_sections(self.settings)):
            raise TenantExists(name)
        world = self.world(name)
        assert world is not None
        return world, token

    def admits(self, world: World, token: str | None) -> bool:
        """Whether `token` is this tenant's admin token."""
        digest = world.token_sha256
        return token is not None and digest is not None and hmac.compare_digest(token_digest(token), digest)
