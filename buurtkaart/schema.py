"""The workspace's data model: every layer, its columns, its geometry, and the working CRS.

One table describes each layer (:data:`LAYERS`). Readers and importers produce frames that match it; the
workspace module refuses frames that do not (see :func:`conform`). Everything is stored in EPSG:31370
(Belgian Lambert 72, metres).

>>> LAYERS["addresses"].geometry_type
'Point'
>>> "phone" in LAYERS["members"].columns and LAYERS["members"].personal
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from buurtkaart.vocabulary import SIGN_STATUSES

#: The one CRS used inside buurtkaart (Belgian Lambert 72, metres).
WORKING_CRS = "EPSG:31370"
#: The CRS of maps shown in a browser.
DISPLAY_CRS = "EPSG:4326"
#: Bumped whenever a stored layer changes in a way older code cannot read.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class LayerSpec:
    """One layer of the workspace.

    ``columns`` maps column name to pandas dtype name; ``key`` is the unique id column; ``geometry_type`` is
    ``None`` for plain (non-spatial) tables. ``personal`` marks layers with personal data (GDPR).
    """

    name: str
    columns: dict[str, str]
    key: str | None
    geometry_type: str | None
    personal: bool = False
    description: str = ""
    required: tuple[str, ...] = field(default=())

    def empty(self) -> gpd.GeoDataFrame | pd.DataFrame:
        """An empty frame with this layer's columns and dtypes."""
        frame = pd.DataFrame({c: pd.Series(dtype=t) for c, t in self.columns.items()})
        if self.geometry_type is None:
            return frame
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=WORKING_CRS), crs=WORKING_CRS)


def _spec(name, columns, key, geometry_type, *, personal=False, description="", required=None):
    return LayerSpec(
        name=name,
        columns=columns,
        key=key,
        geometry_type=geometry_type,
        personal=personal,
        description=description,
        required=tuple(required if required is not None else columns),
    )


_STR = "str"
_INT = "Int64"
#: The columns of the streets layer, also those of the roads beyond the border (``streets_outside``).
_STREET_COLUMNS = {"street_id": _INT, "name": _STR, "road_class": _STR, "ref": _STR, "authority": _STR,
                   "deelgemeente": _STR}
_FLOAT = "float64"

LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in [
        _spec(
            "municipality",
            {"code": _STR, "name": _STR, "population": _INT},
            "code",
            "MultiPolygon",
            description="The one municipality this workspace is for.",
            required=("code", "name"),
        ),
        _spec(
            "deelgemeenten",
            {"code": _STR, "name": _STR, "postcode": _STR},
            "code",
            "MultiPolygon",
            description="Parts of the municipality (Asse, Bekkerzeel, Kobbegem, Mollem, Relegem, Zellik).",
            required=("code", "name"),
        ),
        _spec(
            "wijken",
            {"code": _STR, "name": _STR},
            "code",
            "MultiPolygon",
            description="Neighbourhoods proposed by the municipality (optional).",
        ),
        _spec(
            "streets",
            dict(_STREET_COLUMNS),
            "street_id",
            "LineString",
            description=(
                "Road segments (one LineString each). road_class follows OpenMapTiles: motorway, trunk, primary, "
                "secondary, tertiary, minor, service, track, path, pedestrian. authority is 'gewest' (regional "
                "N-road, AWV), 'gemeente' or 'onbekend'."
            ),
            required=("street_id", "name", "road_class"),
        ),
        _spec(
            "streets_outside",
            dict(_STREET_COLUMNS),
            "street_id",
            "LineString",
            description=(
                "Road segments beyond the municipal border (within 1 km), columns as in streets; street_id "
                "continues after the streets' ids. Not the municipality's streets: only the infobord entries use "
                "them, so that a road continuing into a neighbouring municipality is seen as a way in."
            ),
            required=("street_id", "name", "road_class"),
        ),
        _spec(
            "addresses",
            {
                "address_id": _STR,
                "street": _STR,
                "housenumber": _INT,
                "suffix": _STR,
                "box": _STR,
                "postcode": _STR,
                "deelgemeente": _STR,
                "register_status": _STR,
            },
            "address_id",
            "Point",
            description=(
                "Address points; one row per household (a box number is a household). register_status is the "
                "address register's status where the file has one (current, proposed)."
            ),
            required=("address_id", "street", "housenumber", "postcode"),
        ),
        _spec(
            "groups",
            {"group_id": _STR, "name": _STR},
            "group_id",
            "MultiPolygon",
            description="The areas of the WhatsApp-buurtpreventiegroepen.",
        ),
        _spec(
            "members",
            {
                "member_id": _STR,
                "name": _STR,
                "phone": _STR,
                "email": _STR,
                "address_text": _STR,
                "address_id": _STR,
                "group_id": _STR,
                "status": _STR,
                "applied_on": _STR,
                "status_on": _STR,
                "street": _STR,
                "housenumber": _INT,
                "assign_status": _STR,
                "declaration_version": _STR,
                "declared_on": _STR,
                "consent_police": _STR,
                "screened_by": _STR,
                "screened_on": _STR,
                "refusal_reason": _STR,
                "added_by": _STR,
                "added_on": _STR,
                "sticker_by": _STR,
                "sticker_on": _STR,
                "left_on": _STR,
                "status_by": _STR,
            },
            "member_id",
            "Point",
            personal=True,
            description=(
                "Members and candidates (personal data). status is one of kandidaat (waiting for the police), "
                "goedgekeurd (approved, waiting for the coordinator), geweigerd, lid, vertrokken; dates are ISO "
                "8601 (YYYY-MM-DD). Each workflow step keeps its date and actor (screened_on/by, added_on/by, "
                "sticker_on/by); status_by is who made the last change. group_id is NA for candidates in an "
                "uncovered area or an overlap (assign_status says which): those go to municipal staff. The "
                "declaration of intent and the consent to pass data to the police are kept with their date and "
                "text version. Written record by record by buurtkaart.members.membership."
            ),
            required=("member_id", "name", "address_text", "status"),
        ),
        _spec(
            "users",
            {
                "username": _STR,
                "display_name": _STR,
                "email": _STR,
                "role": _STR,
                "group_ids": _STR,
                "password_hash": _STR,
                "failed_attempts": _INT,
                "locked_until": _STR,
                "active": _STR,
                "created_on": _STR,
                "last_login": _STR,
            },
            "username",
            None,
            personal=True,
            description=(
                "Accounts of staff, coordinators and police (the public has no login). role is staff, "
                "coordinator or police; group_ids is a comma-separated list (coordinators only); password_hash "
                "is an argon2id hash; locked_until is an ISO 8601 UTC time after repeated failures; active is "
                "'ja' or 'nee'. Written record by record by buurtkaart.members.accounts."
            ),
            required=("username", "role"),
        ),
        _spec(
            "audit_log",
            {
                "log_id": _INT,
                "at": _STR,
                "actor": _STR,
                "role": _STR,
                "action": _STR,
                "subject": _STR,
                "subject_ids": _STR,
                "count": _INT,
                "detail": _STR,
            },
            "log_id",
            None,
            description=(
                "Append-only log of who viewed, exported, changed or deleted personal data, and when (UTC). "
                "action is bekeken, geexporteerd, aangemaakt, gewijzigd or verwijderd; subject_ids holds record "
                "ids (member_id, username), never names; detail is a short technical note without personal data. "
                "Written by buurtkaart.members.audit; update and delete are refused by triggers."
            ),
            required=("log_id", "at", "actor", "action"),
        ),
        _spec(
            "login_attempts",
            {
                "subject": _STR,
                "failed_attempts": _INT,
                "locked_until": _STR,
                "last_at": _STR,
            },
            "subject",
            None,
            description=(
                "Failed logins of names that are no account and of clients (the per-client throttle). subject is "
                "'naam:' or 'client:' followed by a SHA-256 hash (never the name or address itself); locked_until "
                "is an ISO 8601 UTC time. Accounts keep their own count in users. Written by "
                "buurtkaart.members.accounts."
            ),
            required=("subject",),
        ),
        _spec(
            "infoborden",
            {
                "sign_id": _STR,
                "group_ids": _STR,
                "status": _STR,
                "road_name": _STR,
                "road_class": _STR,
                "authority": _STR,
                "bearing_deg": _FLOAT,
                "placed_on": _STR,
                "note": _STR,
                "ref": _STR,
                "site_id": _STR,
            },
            "sign_id",
            "Point",
            description=(
                f"Infobord sites. status is one of {', '.join(SIGN_STATUSES)}; group_ids is a "
                "comma-separated list (one pole can carry the signs of two groups; the second sign faces "
                "bearing_deg + 180). note holds the planning reason, site_id the planned site it came from."
            ),
            required=("sign_id", "group_ids", "status"),
        ),
        _spec(
            "group_versions",
            {
                "version_id": _INT,
                "saved_at": _STR,
                "author": _STR,
                "reason": _STR,
                "effective_on": _STR,
                "restored_from": _INT,
                "group_count": _INT,
            },
            "version_id",
            None,
            description=(
                "One row per saved state of the groups layer (buurtkaart.boundaries.history): who saved it, when "
                "(UTC), why, from which date it applies (YYYY-MM-DD), and which older version it restores (NA for "
                "an ordinary edit). Never changed in place; a restore is a new version."
            ),
            required=("version_id", "saved_at", "author", "reason"),
        ),
        _spec(
            "group_version_rows",
            {"row_id": _STR, "version_id": _INT, "group_id": _STR, "name": _STR, "attributes": _STR},
            "row_id",
            "MultiPolygon",
            description=(
                "The full groups layer of every version in group_versions: one row per group per version "
                "(row_id is '<version_id>:<group_id>'); attributes holds the group's other columns as JSON."
            ),
            required=("row_id", "version_id", "group_id"),
        ),
        _spec(
            "metadata",
            {"key": _STR, "value": _STR},
            "key",
            None,
            description="Schema version, municipality, whether the data is fictional (demo).",
        ),
    ]
}


def layer_spec(name: str) -> LayerSpec:
    """The spec of layer ``name``; a clear error for an unknown one."""
    from buurtkaart.errors import SchemaError
    from buurtkaart.texts import t

    try:
        return LAYERS[name]
    except KeyError:
        raise SchemaError(t("schema.unknown_layer", layer=name, known=", ".join(LAYERS))) from None
