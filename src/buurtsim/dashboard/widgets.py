"""Small browser widgets Solara lacks: the resident network and the outcome charts drawn on an HTML
<canvas> in the browser, a PNG picture that reports where it was clicked, and a file picker that
sends a small file's bytes to Python. Templates are inline plain JavaScript (no extra files to
package, no library, nothing fetched from the internet)."""

from __future__ import annotations

import base64

import ipyvuetify as v
import traitlets

MAX_UPLOAD_BYTES = 1024 * 1024

_PNG_TEMPLATE = """
<template>
  <img :src="src" :alt="alt" :data-testid="testid" :data-version="version"
       :style="'display:block;max-width:100%;height:auto;width:' + width + (clickable ? ';cursor:crosshair' : '')"
       @click="onClick" />
</template>
<script>
module.exports = {
  methods: {
    onClick(e) {
      if (!this.clickable) return;
      const r = e.target.getBoundingClientRect();
      this.clicked = {x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height, n: Date.now()};
    },
  },
};
</script>
"""

_UPLOAD_TEMPLATE = """
<template>
  <div>
    <v-btn outlined color="primary" @click="$refs.file.click()">
      <v-icon left>mdi-upload</v-icon>{{ label }}
    </v-btn>
    <input ref="file" type="file" accept=".toml,text/plain,application/toml" style="display:none"
           data-testid="scenario-upload" @change="onChange" />
  </div>
</template>
<script>
module.exports = {
  methods: {
    onChange(e) {
      const input = e.target;
      const f = input.files[0];
      if (!f) return;
      if (f.size > this.max_bytes) {
        this.payload = {name: f.name, error: 'too_big', n: Date.now()};
        input.value = '';
        return;
      }
      const reader = new FileReader();
      reader.onload = () => {
        const bytes = new Uint8Array(reader.result);
        let bin = '';
        for (let i = 0; i < bytes.length; i += 8192) {
          bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
        }
        this.payload = {name: f.name, b64: btoa(bin), n: Date.now()};
        input.value = '';
      };
      reader.readAsArrayBuffer(f);
    },
  },
};
</script>
"""


# What both canvas widgets share, pasted into each template's script (Vue mixins are not available
# to these templates): draw when mounted and when resized, one drawing per batch of changed values,
# base64 text to typed arrays, and a blank drawing surface.
_CANVAS_HOOKS = """
  mounted() {
    this.ro = new ResizeObserver(() => this.draw());
    this.ro.observe(this.$refs.c);
    this.draw();
  },
  beforeDestroy() { if (this.ro) this.ro.disconnect(); },
"""
_CANVAS_METHODS = """
    later() {  // one drawing however many of the watched values changed together
      if (this.waiting) return;
      this.waiting = true;
      this.$nextTick(() => { this.waiting = false; this.draw(); });
    },
    bytes(s) {
      const bin = atob(s || '');
      const out = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    },
    floats(s) {
      const u = this.bytes(s);
      return new Float32Array(u.buffer, 0, u.length >> 2);
    },
    blank(c, w, h) {  // a white w x h (CSS pixels) drawing surface, sharp on high-density screens
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
        c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); c.style.height = h + 'px';
      }
      const g = c.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.fillStyle = '#ffffff';
      g.fillRect(0, 0, w, h);
      return g;
    },
"""

_NETWORK_TEMPLATE = """
<template>
  <canvas ref="c" :data-testid="testid" :data-version="version" :aria-label="alt" role="img"
          :style="'display:block;max-width:100%;width:' + width + ';cursor:crosshair'"
          @click="onClick"></canvas>
</template>
<script>
module.exports = {""" + _CANVAS_HOOKS + """
  watch: { dwellings() { this.later(); }, frame() { this.later(); }, version() { this.later(); } },
  methods: {""" + _CANVAS_METHODS + """
    onClick(e) {
      const r = this.$refs.c.getBoundingClientRect();
      this.clicked = {x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height, n: Date.now()};
    },
    draw() {
      const c = this.$refs.c;
      if (!c) return;
      const D = this.dwellings, F = this.frame;
      if (!D || !D.x || !F || F.cat === undefined) return;
      if (this.cached !== D) { this.cached = D; this.L = {x: this.floats(D.x), y: this.floats(D.y), xlim: D.xlim, ylim: D.ylim}; }
      const L = this.L;
      // the same scale across and down: the picture is as tall as the neighbourhood is deep
      const w = c.clientWidth || 400, h = Math.round(w * (L.ylim[1] - L.ylim[0]) / (L.xlim[1] - L.xlim[0]));
      const g = this.blank(c, w, h);
      const sx = w / (L.xlim[1] - L.xlim[0]), sy = h / (L.ylim[1] - L.ylim[0]);
      const X = (x) => (x - L.xlim[0]) * sx, Y = (y) => (L.ylim[1] - y) * sy;
      const k = w / 480 * 80 / 72;  // matplotlib points at 80 dpi on a 6-inch picture, scaled
      const tb = this.bytes(F.ties), pairs = new Uint16Array(tb.buffer, 0, tb.length >> 1), st = this.bytes(F.strength);
      g.lineWidth = 0.5 * k;
      for (let b = 0; b < 8; b++) {  // ties in eight opacity steps by strength (one path each)
        g.beginPath();
        for (let e = 0; e < st.length; e++) {
          if (st[e] >> 5 !== b) continue;
          const i = pairs[2 * e], j = pairs[2 * e + 1];
          g.moveTo(X(L.x[i]), Y(L.y[i]));
          g.lineTo(X(L.x[j]), Y(L.y[j]));
        }
        g.strokeStyle = 'rgba(0,0,0,' + (0.08 + 0.5 * (b + 0.5) / 8).toFixed(3) + ')';
        g.stroke();
      }
      const deg = this.bytes(F.deg), cat = F.cat;
      g.lineWidth = 0.3 * k;
      g.strokeStyle = '#ffffff';
      let drawn = 0;
      for (let q = 0; q < this.colours.length; q++) {
        g.beginPath();
        const code = String(q);
        for (let i = 0; i < cat.length; i++) {
          if (cat[i] !== code) continue;
          const r = 0.5 * Math.sqrt(6 + 5 * deg[i]) * k, x = X(L.x[i]), y = Y(L.y[i]);
          g.moveTo(x + r, y);
          g.arc(x, y, r, 0, 2 * Math.PI);
          drawn++;
        }
        g.fillStyle = this.colours[q];
        g.fill();
        g.stroke();
      }
      const pros = F.pros || [], xy = this.floats(F.pro_xy), side = Math.sqrt(70) * k;
      let at = 0;
      pros.forEach((m, n) => {
        let cx = w * (n + 1) / (pros.length + 1), cy = side;
        const p = xy.subarray(2 * at, 2 * (at + m));
        at += m;
        if (m) {
          cx = 0; cy = 0;
          for (let i = 0; i < p.length; i += 2) { cx += p[i]; cy += p[i + 1]; }
          cx = X(cx / m); cy = Y(cy / m);
          g.beginPath();
          for (let i = 0; i < p.length; i += 2) { g.moveTo(cx, cy); g.lineTo(X(p[i]), Y(p[i + 1])); }
          g.lineWidth = 0.6 * k;
          g.strokeStyle = 'rgba(34,34,34,0.35)';
          g.stroke();
        }
        g.fillStyle = this.pro_colour;
        g.fillRect(cx - side / 2, cy - side / 2, side, side);
        g.lineWidth = 0.8 * k;
        g.strokeStyle = '#ffffff';
        g.strokeRect(cx - side / 2, cy - side / 2, side, side);
      });
      if (F.selected >= 0) {
        g.beginPath();
        g.arc(X(L.x[F.selected]), Y(L.y[F.selected]), 0.5 * Math.sqrt(260) * k, 0, 2 * Math.PI);
        g.lineWidth = 2.5 * k;
        g.strokeStyle = this.selected_colour;
        g.stroke();
      }
      c.dataset.drawn = String(drawn);
      c.dataset.counts = (F.counts || []).join(',');
      c.dataset.frame = String(this.version);
    },
  },
};
</script>
"""

_CHART_TEMPLATE = """
<template>
  <canvas ref="c" :data-testid="testid" :data-version="version" :aria-label="alt" role="img"
          :style="'display:block;max-width:100%;width:' + width"></canvas>
</template>
<script>
module.exports = {""" + _CANVAS_HOOKS + """
  watch: { spec() { this.later(); }, version() { this.later(); } },
  methods: {""" + _CANVAS_METHODS + """
    fmt(v, digits) {
      const nl = this.spec.lang !== 'en';
      let s = Math.abs(v).toFixed(digits);
      let [whole, frac] = s.split('.');
      whole = whole.replace(/\\B(?=(\\d{3})+(?!\\d))/g, nl ? '.' : ',');
      s = frac ? whole + (nl ? ',' : '.') + frac : whole;
      return (v < 0 && Number(s.replace(/[^0-9]/g, '')) !== 0 ? '\u2212' : '') + s;
    },
    ticks(lo, hi, n) {
      const span = hi - lo || 1, raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
      const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
      const out = [];
      for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(v);
      return {values: out, digits: Math.max(0, -Math.floor(Math.log10(step) + 1e-9))};
    },
    draw() {
      const c = this.$refs.c, S = this.spec;
      if (!c || !S || !S.x) return;
      const w = c.clientWidth || 600, h = Math.round(w * S.aspect), g = this.blank(c, w, h);
      const font = 11, x = this.floats(S.x), lines = (S.lines || []).map((l) => ({...l, v: this.floats(l.y)}));
      const bands = (S.bands || []).map((b) => ({...b, lo: this.floats(b.lo), hi: this.floats(b.hi)}));
      g.font = font + 'px sans-serif';
      // legend and title on top, wrapping
      let top = 6, lx = 8;
      const items = lines.map((l) => [l.label, l.colour, 'line']).concat(bands.filter((b) => b.label).map((b) => [b.label, b.colour, 'box']));
      if (S.title) { g.fillStyle = '#222'; g.fillText(S.title, 8, top + font); top += font + 6; }
      if (items.length) {
        let row = top;
        items.forEach(([label, colour, kind]) => {
          const wd = 22 + g.measureText(label).width + 14;
          if (lx + wd > w && lx > 8) { lx = 8; row += font + 6; }
          g.fillStyle = colour; g.strokeStyle = colour; g.lineWidth = 2;
          if (kind === 'line') { g.beginPath(); g.moveTo(lx, row + font / 2 + 1); g.lineTo(lx + 16, row + font / 2 + 1); g.stroke(); }
          else g.fillRect(lx + 2, row + 1, 12, font - 1);
          g.fillStyle = '#222'; g.fillText(label, lx + 20, row + font);
          lx += wd;
        });
        top = row + font + 10;
      }
      const rows = S.rows || [], rowH = 16, timelineH = rows.length ? rows.length * rowH + 8 : (S.no_rows ? rowH + 8 : 0);
      const bottom = h - 30 - timelineH;
      // y range
      let lo = Infinity, hi = -Infinity;
      if (S.ylim) { lo = S.ylim[0]; hi = S.ylim[1]; } else {
        lines.forEach((l) => l.v.forEach((v) => { if (isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }));
        bands.forEach((b) => { b.lo.forEach((v) => { lo = Math.min(lo, v); }); b.hi.forEach((v) => { hi = Math.max(hi, v); }); });
        if (!isFinite(lo)) { lo = 0; hi = 1; }
        const padY = (hi - lo) * 0.05 || Math.max(Math.abs(hi) * 0.05, 0.5);
        lo -= padY; hi += padY;
      }
      const yt = this.ticks(lo, hi, Math.max(2, Math.floor((bottom - top) / 40)));
      const labels = yt.values.map((v) => this.fmt(v, yt.digits));
      const rowLabelW = rows.reduce((m, r) => Math.max(m, g.measureText(r.label).width), 0);
      const left = Math.min(w * 0.35, Math.max(...labels.map((s) => g.measureText(s).width), rowLabelW) + (S.ylabel ? 26 : 12));
      const right = w - 10, xmax = S.xmax || 1;
      const X = (v) => left + (v / xmax) * (right - left), Y = (v) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
      (S.spans || []).forEach(([a, b, colour]) => { g.fillStyle = colour; g.globalAlpha = 0.12; g.fillRect(X(a), top, X(b) - X(a), bottom - top); });
      g.globalAlpha = 1;
      g.strokeStyle = '#e3e3e3'; g.lineWidth = 1; g.fillStyle = '#333'; g.textAlign = 'right';
      yt.values.forEach((v, i) => {
        const y = Y(v);
        g.beginPath(); g.moveTo(left, y); g.lineTo(right, y); g.stroke();
        g.fillText(labels[i], left - 4, y + font / 3);
      });
      if (S.ylabel) {
        g.save(); g.translate(10, (top + bottom) / 2); g.rotate(-Math.PI / 2); g.textAlign = 'center';
        g.fillText(S.ylabel, 0, 0); g.restore();
      }
      const xt = this.ticks(0, xmax, Math.max(2, Math.floor((right - left) / 70)));
      g.textAlign = 'center';
      const axisY = h - 30;
      xt.values.forEach((v) => {
        g.beginPath(); g.moveTo(X(v), top); g.lineTo(X(v), bottom); g.stroke();
        g.fillText(this.fmt(v, 0), X(v), axisY + font + 3);
      });
      g.fillText(S.xlabel || '', (left + right) / 2, axisY + 2 * font + 6);
      g.save();
      g.beginPath(); g.rect(left, top, right - left, bottom - top); g.clip();
      bands.forEach((b) => {
        g.beginPath();
        for (let i = 0; i < x.length; i++) g[i ? 'lineTo' : 'moveTo'](X(x[i]), Y(b.hi[i]));
        for (let i = x.length - 1; i >= 0; i--) g.lineTo(X(x[i]), Y(b.lo[i]));
        g.closePath(); g.fillStyle = b.colour; g.globalAlpha = b.alpha || 0.9; g.fill();
      });
      g.globalAlpha = 1;
      if (S.zero) { g.strokeStyle = '#333'; g.lineWidth = 0.8; g.beginPath(); g.moveTo(left, Y(0)); g.lineTo(right, Y(0)); g.stroke(); }
      lines.forEach((l) => {
        g.beginPath(); g.strokeStyle = l.colour; g.lineWidth = l.width || 1.6;
        let pen = false;
        for (let i = 0; i < x.length; i++) {
          if (!isFinite(l.v[i])) { pen = false; continue; }
          g[pen ? 'lineTo' : 'moveTo'](X(x[i]), Y(l.v[i])); pen = true;
        }
        g.stroke();
      });
      g.restore();
      g.strokeStyle = '#888'; g.lineWidth = 1; g.strokeRect(left, top, right - left, bottom - top);
      // policy timeline: one row per policy under the plot
      const t0 = bottom + 6;
      g.textAlign = 'right';
      rows.forEach((r, n) => {
        const y = t0 + n * rowH;
        g.fillStyle = '#333'; g.fillText(r.label, left - 4, y + rowH - 4);
        g.fillStyle = r.colour; g.globalAlpha = 0.75;
        r.periods.forEach(([a, b]) => g.fillRect(X(a), y + 2, Math.max(X(b) - X(a), 1), rowH - 4));
        g.globalAlpha = 1;
      });
      if (S.no_rows) { g.fillStyle = '#666'; g.textAlign = 'center'; g.fillText(S.no_rows, (left + right) / 2, t0 + rowH - 4); }
      g.textAlign = 'left';
      c.dataset.yticks = labels.join('|');
      c.dataset.frame = String(this.version);
    },
  },
};
</script>
"""


class NetworkCanvas(v.VuetifyTemplate):
    """The resident network drawn in the browser on a <canvas>: `dwellings` (their positions) is
    sent once per run, `frame` (colours, sizes, ties; see `netview.frame_of`) per frame. A click
    sets `clicked` to {x, y} as fractions of the picture."""

    template = traitlets.Unicode(_NETWORK_TEMPLATE).tag(sync=True)
    dwellings = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)
    colours = traitlets.List(traitlets.Unicode()).tag(sync=True)
    pro_colour = traitlets.Unicode("#222222").tag(sync=True)
    selected_colour = traitlets.Unicode("#0072B2").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    width = traitlets.Unicode("100%").tag(sync=True)
    testid = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)
    clicked = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)


class ChartCanvas(v.VuetifyTemplate):
    """An outcome chart drawn in the browser on a <canvas> from `spec` (see `charts`): lines and
    filled bands over weeks, policy periods shaded, and a row per policy underneath."""

    template = traitlets.Unicode(_CHART_TEMPLATE).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    width = traitlets.Unicode("100%").tag(sync=True)
    testid = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)


class PngView(v.VuetifyTemplate):
    """A PNG shown as <img>; when `clickable`, a click sets `clicked` to {x, y} as fractions of the picture."""

    template = traitlets.Unicode(_PNG_TEMPLATE).tag(sync=True)
    src = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    width = traitlets.Unicode("100%").tag(sync=True)
    testid = traitlets.Unicode("").tag(sync=True)
    version = traitlets.Int(0).tag(sync=True)
    clickable = traitlets.Bool(False).tag(sync=True)
    clicked = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)


class UploadButton(v.VuetifyTemplate):
    """A button that opens the file chooser; the chosen file arrives in `payload` as {name, b64} or {name, error}."""

    template = traitlets.Unicode(_UPLOAD_TEMPLATE).tag(sync=True)
    label = traitlets.Unicode("Upload").tag(sync=True)
    max_bytes = traitlets.Int(MAX_UPLOAD_BYTES).tag(sync=True)
    payload = traitlets.Dict(allow_none=True, default_value=None).tag(sync=True)


def png_src(png: bytes) -> str:
    """A data URL for PNG bytes (stays in the page; no request is made)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def payload_bytes(payload: dict) -> bytes | None:
    """The file bytes carried by an upload payload, or None when they are not there as valid base64
    text (a page or a script can send anything). Text that would decode to more than
    MAX_UPLOAD_BYTES (+1, so the caller still sees it is too large) is not decoded at all."""
    text = payload.get("b64", "") or ""
    if not isinstance(text, str):
        return None
    text = text[: (MAX_UPLOAD_BYTES + 3) // 3 * 4 + 4]
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:  # binascii.Error (bad padding or characters) and non-ASCII text
        return None
