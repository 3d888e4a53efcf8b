"""The embeddable search: a small HTML page for an ``<iframe>`` on the municipality's website, served by the API.

It loads Leaflet from the API itself (the app's offline copies, :mod:`buurtkaart.maps.assets`), never from a
CDN, and asks only the API: the group areas once, then one answer per search. Every value from the data reaches
the page as text (``textContent``, tooltips built as text nodes), never as HTML; the page's own texts come from
the Dutch catalogue, escaped. Embed it with::

    <iframe src="https://kaart.example.be/widget" title="Welke buurtpreventiegroep?"
            style="width:100%;max-width:640px;height:520px;border:0" loading="lazy"></iframe>

>>> html = widget_html(fictional=False)
>>> "cdn" in html.lower(), "widget/assets/leaflet.js" in html
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from buurtkaart.texts import catalogue, t

#: The Leaflet files the widget needs: name served → the folium asset it is a copy of.
_ASSETS = {"leaflet.js": ("leaflet", "js"), "leaflet.css": ("leaflet_css", "css")}
_TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8"}

_SCRIPT = """
(function () {
  var cfg = JSON.parse(document.getElementById("widget-config").textContent);
  var api = cfg.api.replace(/^\\//, "");
  function el(id) { return document.getElementById(id); }
  var form = el("search"), input = el("adres"), message = el("message"), how = el("how");
  var suggestions = el("suggestions"), start = el("start"), streetBox = el("street-answer"), street = el("street");
  // no zoom or fade animation: an answer jumps to its place at once (light on a phone, and on a crowd's browsers)
  var map = L.map("map", {attributionControl: false, zoomAnimation: false, fadeAnimation: false,
                          markerZoomAnimation: false}).setView([50.91, 4.2], 12);
  map.createPane("streets").style.zIndex = 350;  // under the areas (overlayPane, 400)
  var areas = null, marker = null;
  function url(path, question) {
    var parts = (question ? [question] : []).concat(cfg.params ? [cfg.params] : []);
    return api + path + (parts.length ? "?" + parts.join("&") : "");
  }
  function text(value) { var span = document.createElement("span"); span.textContent = value; return span; }
  function fill(template, values) {
    return template.replace(/\\{(\\w+)\\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }
  function style(on) { return {color: on ? "#b3261e" : "#4a4a4a", weight: on ? 3 : 1, fillOpacity: on ? 0.3 : 0.08}; }
  fetch(url("/groepen")).then(function (r) { return r.json(); }).then(function (data) {
    areas = L.geoJSON(data, {style: function () { return style(false); }}).addTo(map);
    areas.eachLayer(function (layer) { layer.bindTooltip(text(String(layer.feature.properties.name || ""))); });
    if (areas.getBounds().isValid()) { map.fitBounds(areas.getBounds()); }
  }).catch(function () { message.textContent = cfg.failed; });
  fetch(url("/straten")).then(function (r) { return r.json(); }).then(function (data) {
    L.geoJSON(data, {pane: "streets", interactive: false, renderer: L.canvas({pane: "streets"}),
                     style: function () { return {color: "#8c8c8c", weight: 1.5, opacity: 0.9}; }}).addTo(map);
  }).catch(function () { return null; });  // the areas and the answer work without the streets
  function show(ids, lat, lon) {
    var bounds = null;
    if (areas) {
      areas.eachLayer(function (layer) {
        var on = ids.indexOf(String(layer.feature.properties.group_id)) >= 0;
        layer.setStyle(style(on));
        if (on) { bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds()); }
      });
    }
    if (marker) { map.removeLayer(marker); marker = null; }
    var point = lat !== null && lat !== undefined ? L.latLng(lat, lon) : null;
    if (point) {
      marker = L.circleMarker(point, {radius: 7, color: "#000", fillColor: "#ffd600", fillOpacity: 1}).addTo(map);
      if (bounds) { bounds.extend(point); }
    }
    if (bounds) { map.fitBounds(bounds, {padding: [16, 16], maxZoom: 17}); }
    else if (point) { map.setView(point, 16); }
  }
  function clear() {
    how.textContent = ""; street.textContent = "";
    while (suggestions.firstChild) { suggestions.removeChild(suggestions.firstChild); }
    start.hidden = true; streetBox.hidden = true;
  }
  function offer(labels) {
    labels.forEach(function (label) {
      var button = document.createElement("button");
      button.type = "button"; button.className = "suggestion"; button.textContent = label;
      button.addEventListener("click", function () { input.value = label; search(); });
      suggestions.appendChild(button);
    });
  }
  function answer(body) {
    var found = body.address || {}, status = found.status;
    if (status === "not_found" || status === "ambiguous") {
      var labels = (found.suggestions || []).slice(0, 5).map(function (s) { return String(s.label); });
      message.textContent = status === "ambiguous" && labels.length ? cfg.suggestions : body.message;
      if (status === "not_found" && labels.length) { suggestions.appendChild(text(cfg.suggestions)); }
      offer(labels);
      show([], null);
      return;
    }
    message.textContent = body.message;
    how.textContent = found.message
      || fill(cfg.found_how, {label: found.label || input.value, how: cfg.how[status] || status});
    var highlight = body.highlight || [];
    if (body.status === "niet_gedekt" || (!body.status && !highlight.length)) { start.hidden = false; }
    if (body.street && status !== "street_only") { street.textContent = body.street.text; streetBox.hidden = false; }
    show(highlight, found.lat, found.lon);
  }
  var asked = 0;  // only the answer to the latest search is shown (an earlier, slower one is dropped)
  function search() {
    var mine = ++asked;
    clear();
    message.textContent = cfg.busy;
    fetch(url("/groep", "adres=" + encodeURIComponent(input.value))).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, body: body}; });
    }).then(function (res) {
      if (mine !== asked) { return; }
      if (res.ok) { answer(res.body); return; }
      message.textContent = [res.body.error].concat(res.body.problems || []).join(" ");
      show([], null);
    }).catch(function () { if (mine === asked) { message.textContent = cfg.failed; } });
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="widget/assets/leaflet.css">
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; padding: 0.5rem; color: #1a1a1a; }}
form {{ display: flex; gap: 0.4rem; flex-wrap: wrap; align-items: end; }}
label {{ flex-basis: 100%; font-weight: 600; }}
input {{ flex: 1; min-width: 12rem; padding: 0.4rem; font-size: 1rem; }}
button {{ padding: 0.4rem 0.9rem; font-size: 1rem; }}
#search button {{ background: #0072B2; color: #fff; border: 0; border-radius: 0.4rem; }}
#message {{ margin: 0.5rem 0 0.2rem; font-weight: 600; }}
#street, #how, .small {{ margin: 0.2rem 0; font-size: 0.9rem; }}
#how {{ color: #55565c; }}
#suggestions {{ display: flex; flex-direction: column; align-items: flex-start; gap: 0.3rem; }}
.title {{ margin: 0.5rem 0 0.1rem; font-weight: 600; }}
#map {{ height: 340px; margin-top: 0.4rem; border: 1px solid #ccc; }}
</style></head>
<body>
{banner}<form id="search" role="search">
<label for="adres">{label}</label>
<input id="adres" name="adres" type="search" autocomplete="street-address" maxlength="{maxlength}"
 placeholder="{placeholder}" required>
<button type="submit">{search}</button>
</form>
<p id="message" role="status" aria-live="polite"></p>
<p id="how"></p>
<div id="suggestions"></div>
<div id="start" hidden><p class="title">{start_title}</p><p class="small">{start_text}</p></div>
<div id="street-answer" hidden><p class="title">{street_title}</p><p id="street"></p></div>
<div id="map" role="img" aria-label="{map_label}"></div>
<p class="small">{privacy}</p>
<script type="application/json" id="widget-config">{config}</script>
<script src="widget/assets/leaflet.js"></script>
<script>{script}</script>
</body></html>
"""


def _plain(markdown: str) -> str:
    """A catalogue text written for Markdown, as plain text (its bold marks dropped)."""
    return markdown.replace("**", "")


def widget_html(*, fictional: bool, api: str = "/api/v1", example: str | None = None,
                params: Mapping[str, str] | None = None) -> str:
    """The widget page; ``fictional`` adds the demo banner, ``example`` is an address of the workspace for the
    placeholder, ``params`` the query parameters added to each request to the API (``gemeente`` on a zone)."""
    from buurtkaart.assignment.find import MAX_QUERY_CHARS
    from buurtkaart.vocabulary import LOOKUP_STATUSES

    config = json.dumps({
        "api": api, "params": urlencode(dict(params or {})), "busy": t("api.widget.busy"),
        "failed": t("api.widget.failed"), "suggestions": t("app.welke.suggestions"),
        "found_how": t("app.welke.found_how", label="{label}", how="{how}"),
        "how": {str(s): t(f"app.welke.how.{s}") for s in LOOKUP_STATUSES if f"app.welke.how.{s}" in catalogue()},
    }, ensure_ascii=False).replace("<", "\\u003c")
    banner = f'<p class="small"><strong>{html.escape(t("api.widget.fictional"))}</strong></p>\n' if fictional else ""
    placeholder = t("app.welke.placeholder", example=example) if example else t("api.widget.placeholder")
    return _PAGE.format(
        title=html.escape(t("api.widget.title")), label=html.escape(t("api.widget.label")),
        placeholder=html.escape(placeholder), search=html.escape(t("api.widget.search")),
        map_label=html.escape(t("api.widget.map_label")), privacy=html.escape(t("api.widget.privacy")),
        start_title=html.escape(t("app.welke.start_title")), start_text=html.escape(_plain(t("app.welke.start_text"))),
        street_title=html.escape(t("app.welke.street_title")),
        maxlength=MAX_QUERY_CHARS, banner=banner, config=config, script=_SCRIPT)


@lru_cache(maxsize=4)
def asset(name: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a vendored Leaflet file, or None."""
    import folium

    from buurtkaart.maps.assets import _asset_contents

    if name not in _ASSETS:
        return None
    key, kind = _ASSETS[name]
    urls = dict(folium.Map.default_js if kind == "js" else folium.Map.default_css)
    text = _asset_contents().get(urls.get(key, ""))
    return None if text is None else (text.encode("utf-8"), _TYPES[kind])


def content_policy(origins: Sequence[str] = ()) -> str:
    """The page's Content-Security-Policy: only its own files and its one inline script; framed only by the
    configured websites."""
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    frames = " ".join(["'self'", *origins])
    return (f"default-src 'self'; script-src 'self' 'sha256-{digest}'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data:; connect-src 'self'; frame-ancestors {frames}")


def routes(*, api: str, origins: Sequence[str] = (), params: Mapping[str, str] | None = None) -> list[Route]:
    """``/widget`` and ``/widget/assets/{name}``; the page asks the API at ``api`` (relative to the site), with
    ``params`` added to each request, and may be framed by ``origins``."""
    policy = content_policy(origins)

    async def page(request: Request) -> Response:
        fictional = bool(getattr(request.app.state, "fictional", False))
        data = getattr(request.app.state, "data", None)
        example = data.snapshot.example if data is not None else None
        return HTMLResponse(widget_html(fictional=fictional, api=api, example=example, params=params),
                            headers={"cache-control": "public, max-age=300", "content-security-policy": policy})

    async def file(request: Request) -> Response:
        found = asset(str(request.path_params["name"]))
        if found is None:
            raise HTTPException(404)
        data, media_type = found
        return Response(data, media_type=media_type, headers={"cache-control": "public, max-age=86400"})

    return [Route("/widget", page, methods=["GET"]), Route("/widget/assets/{name}", file, methods=["GET"])]
