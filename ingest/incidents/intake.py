"""Alerts become incidents: a raised alert of a kind some category takes opens an incident there, or
joins the open incident of the same category about the same place (source, region, unit), so a price
spike raised again and again is one incident with many alerts. An alert that ends is noted on its
incident's timeline; the incident itself stays until people close it. The IT control center's
incidents (a service DOWN) do the same in the category marked `service_down`, for the root service's OPD.
"""

from __future__ import annotations

import redis

from core.config import Config
from core.incidents.lifecycle import SYSTEM_ACTOR, NotAllowedNow
from core.incidents.timeline import all_incidents, open_incident, take_step
from core.it_incidents import incidents as it_incidents
from core.streams import ALERTS, as_text, incident_alert_cursor, incident_alerts

BATCH = 500



def feed_alert(fields: dict[str, str]) -> dict[str, str]:
    """A feed's health alert (kind "feed": failing or silent, then recovered) as the other alerts read:
    one condition per feed, raised while it fails, resolved when data flows again."""
    if fields.get("kind") != "feed" or fields.get("alert_id"):
        return fields
    state = "resolved" if fields.get("severity") == "info" else "raised"
    return {**fields, "alert_id": f"feed:{fields.get('source', '')}", "state": state}


class AlertIntake:
    def __init__(self, config: Config, client: redis.Redis):
        self.config = config
        self.settings = config.incidents
        self.client = client

    def step(self) -> int:
        """Read the alerts written since the last call (from the stored cursor); returns how many."""
        cursor = as_text(self.client.get(incident_alert_cursor()) or "0-0")
        entries = self.client.xrange(ALERTS, min=f"({cursor}", count=BATCH)
        for entry_id, raw in entries:
            fields = feed_alert({as_text(k): as_text(v) for k, v in raw.items()})
            if fields.get("state") == "raised":
                self._raised(fields)
            elif fields.get("state") == "resolved":
                self._resolved(fields)
            self.client.set(incident_alert_cursor(), as_text(entry_id))
        return len(entries)

    def services_down(self) -> int:
        """Open an incident for each IT incident not yet taken; note the end of those that ended.
        Returns how many were opened."""
        category_id = self.settings.service_down_category()
        if category_id is None:
            return 0
        services, opened = self.config.monitors.services(), 0
        for it in it_incidents(self.client):
            key = f"monitor:{it['id']}"
            taken = self.client.hget(incident_alerts(), key)
            if it.get("resolved"):
                if taken is not None:  # noted once: the mapping goes with it
                    self._resolved({"alert_id": key, "message": f"{it.get('root_name') or it['root']} pulih"})
                continue
            if taken is not None:
                continue
            affected = len(it.get("affected") or [])
            title = (f"Layanan mati: {it.get('root_name') or it['root']}"
                     + (f" (+{affected} terdampak)" if affected else ""))
            incident = open_incident(self.client, SYSTEM_ACTOR, title=title[:200], category=category_id,
                                     opd=services[it["root"]][0] if it["root"] in services else None, source="alert",
                                     alert_id=key, severity="critical", application="it", unit=it["root"])
            self.client.hset(incident_alerts(), key, incident.id)
            opened += 1
        return opened

    def _raised(self, alert: dict[str, str]) -> None:
        category_id = self.settings.category_of_alert(alert.get("kind", ""))
        alert_id = alert.get("alert_id", "")
        if category_id is None or not alert_id or self.client.hexists(incident_alerts(), alert_id):
            return
        place = (alert.get("source", ""), alert.get("region", ""), alert.get("unit", ""))
        host = next((i for i in all_incidents(self.client)
                     if i.category == category_id and i.source == "alert"
                     and i.state not in ("selesai", "ditutup", "duplikat")
                     and (i.application, i.region, i.unit) == place), None)
        if host is not None:
            try:
                take_step(self.client, SYSTEM_ACTOR, host.id, "alert", alert.get("message", ""), alert_id=alert_id)
                self.client.hset(incident_alerts(), alert_id, host.id)
                return
            except NotAllowedNow:
                pass
        category = self.settings.categories[category_id]
        # A feed's alert belongs to the OPD whose feed it is; the others to their category's OPD.
        owner = next((oid for oid, opd in self.config.monitors.opds.items() if alert.get("source") in opd.feeds),
                     None) if alert.get("kind") == "feed" else None
        incident = open_incident(self.client, SYSTEM_ACTOR, title=alert.get("message", "")[:200] or alert_id,
                                 category=category_id, opd=owner or category.opd, source="alert", alert_id=alert_id,
                                 severity=alert.get("severity", "warning"), region=alert.get("region", ""),
                                 unit=alert.get("unit", ""), application=alert.get("source", ""))
        self.client.hset(incident_alerts(), alert_id, incident.id)

    def _resolved(self, alert: dict[str, str]) -> None:
        incident_id = self.client.hget(incident_alerts(), alert.get("alert_id", ""))
        if incident_id is None:
            return
        # The same condition raised again is new: it joins the open incident or opens another.
        self.client.hdel(incident_alerts(), alert.get("alert_id", ""))
        try:
            take_step(self.client, SYSTEM_ACTOR, as_text(incident_id), "alert_selesai",
                      f"Kondisi berakhir: {alert.get('message', '')}", alert_id=alert.get("alert_id", ""))
        except NotAllowedNow:
            pass
