"""Two small browser widgets Solara lacks: a PNG picture that reports where it was clicked, and a
file picker that sends a small file's bytes to Python. Templates are inline (no extra files to
package, nothing fetched from the internet)."""

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


def payload_bytes(payload: dict) -> bytes:
    """The file bytes carried by an upload payload."""
    return base64.b64decode(payload.get("b64", "") or "")
