package org.medssl.viewer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.medssl.MedsslException;
import org.medssl.io.AtomicFiles;
import org.medssl.io.nifti.NiftiReader;
import org.medssl.io.Resources;

/**
 * One HTML file that shows a scan and label overlays in NiiVue (the BSD-licensed WebGL2 viewer,
 * vendored as {@code niivue.umd.js} with its licence), three planes and a 3D rendering with one
 * crosshair, each overlay switched on and off by a checkbox. Everything is inside the page (the
 * viewer's script and the NIfTI files as base64), so it opens offline from disk and can be sent
 * as one file. The page sets {@code data-ready="true"} on its body once every volume is loaded and
 * drawn, and writes each volume's name and dimensions into {@code #status}, or sets
 * {@code data-error} with the message: what a headless browser checks.
 */
public final class ViewerPage {
  static final String VIEWER = "niivue.umd.js";
  static final String LICENCE = "NIIVUE-LICENSE";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Label overlays in turn; background (0) is transparent. */
  private static final List<String> OVERLAY_COLOURS = List.of("red", "green", "blue", "warm", "winter", "violet");

  /**
   * A volume of the page: a scan, or a label map drawn as an overlay, shown at first or not (its
   * checkbox then starts unticked).
   */
  public record Layer(String name, byte[] nifti, boolean labels, double maxLabel, boolean visible) {
    /** Reads {@code file} (a NIfTI image; its header is checked first, so a bad file is one clear error). */
    public static Layer of(Path file, boolean labels) {
      // the page decodes the file itself; a broken one fails here, named (labels are decoded for their largest value)
      double max = labels ? Math.max(1, NiftiReader.read(file).labels().maxLabel()) : 0;
      if (!labels) {
        NiftiReader.readHeader(file);
      }
      try {
        return new Layer(displayName(file), Files.readAllBytes(file), labels, max, true);
      } catch (IOException e) {
        throw new MedsslException(file + ": cannot read (" + e.getMessage() + ")");
      }
    }

    /** The same volume under another name (keep the file's ending: the viewer decodes by it). */
    public Layer named(String newName) {
      return new Layer(newName, nifti, labels, maxLabel, visible);
    }

    /** The same overlay, switched off at first. */
    public Layer hidden() {
      return new Layer(name, nifti, labels, maxLabel, false);
    }
  }

  private ViewerPage() {}

  /** {@code labelsTr/case.nii.gz}: with its folder, as images and labels often share file names. */
  static String displayName(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    String name = file.getFileName().toString();
    return parent == null || parent.getFileName() == null ? name : parent.getFileName() + "/" + name;
  }

  public static void write(Path out, String title, List<Layer> layers) {
    AtomicFiles.writeString(out, html(title, layers));
  }

  /** The page; the first layer is the scan, the others overlays. */
  static String html(String title, List<Layer> layers) {
    if (layers.isEmpty() || layers.get(0).labels()) {
      throw new IllegalArgumentException("a viewer page needs a scan as its first layer");
    }
    ArrayNode json = JSON.createArrayNode();
    int overlay = 0;
    for (Layer l : layers) {
      ObjectNode o = json.addObject();
      o.put("name", l.name());
      o.put("labels", l.labels());
      o.put("colormap", l.labels() ? OVERLAY_COLOURS.get(overlay++ % OVERLAY_COLOURS.size()) : "gray");
      o.put("maxLabel", l.maxLabel());
      o.put("visible", l.visible());
      o.put("base64", Base64.getEncoder().encodeToString(l.nifti()));
    }
    return TEMPLATE.replace("@TITLE@", escape(title)).replace("@LICENCE@", resource(LICENCE).replace("*/", "* /"))
        .replace("@VIEWER@", resource(VIEWER)).replace("@LAYERS@", toJson(json));
  }

  private static String toJson(ArrayNode layers) {
    try {
      return JSON.writeValueAsString(layers).replace("</", "<\\/"); // never closes the script element
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a tree we built", e);
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String resource(String name) {
    return Resources.text(ViewerPage.class, name);
  }


  private static final String TEMPLATE = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>@TITLE@</title>
      <style>
        body { font-family: sans-serif; margin: 12px; background: #111 !important; color: #eee; }
        #viewer { width: 100%; height: 640px; }
        #layers label { margin-right: 16px; }
        #status { font-size: 13px; color: #aaa; }
      </style></head>
      <body data-ready="false">
      <h2>@TITLE@</h2>
      <div id="layers"></div>
      <div id="viewer"><canvas id="gl"></canvas></div>
      <p id="status">loading…</p>
      <script>
      /* NiiVue 0.69.0, vendored unchanged:
      @LICENCE@
      */
      @VIEWER@
      </script>
      <script>
      const LAYERS = @LAYERS@;
      window.addEventListener("error", e => { document.body.dataset.error = String(e.message); });
      (async () => {
        try {
          const nv = new niivue.Niivue({ backColor: [0, 0, 0, 1], show3Dcrosshair: true, isColorbar: false });
          await nv.attachToCanvas(document.getElementById("gl"));
          const lines = [];
          for (const [i, layer] of LAYERS.entries()) {
            const image = await niivue.NVImage.loadFromBase64({
              base64: layer.base64, name: layer.name, colormap: layer.colormap,
              opacity: layer.labels ? (layer.visible ? 0.5 : 0) : 1.0,
              cal_min: layer.labels ? 0.5 : undefined, cal_max: layer.labels ? layer.maxLabel : undefined,
              trustCalMinMax: layer.labels });
            nv.addVolume(image);
            lines.push(layer.name + ": " + image.hdr.dims.slice(1, 4).join("x"));
            if (layer.labels) {
              const box = document.createElement("label");
              box.innerHTML = layer.visible ? '<input type="checkbox" checked> ' : '<input type="checkbox"> ';
              box.append(layer.name);
              box.firstChild.addEventListener("change", ev => {
                nv.setOpacity(i, ev.target.checked ? 0.5 : 0);
              });
              document.getElementById("layers").append(box);
            }
          }
          nv.opts.multiplanarShowRender = niivue.SHOW_RENDER.ALWAYS;
          nv.setSliceType(nv.sliceTypeMultiplanar);
          nv.drawScene();
          document.getElementById("status").textContent = lines.join("; ");
          requestAnimationFrame(() => { document.body.dataset.ready = "true"; });
        } catch (e) {
          document.body.dataset.error = String(e && e.message || e);
          document.getElementById("status").textContent = "error: " + document.body.dataset.error;
        }
      })();
      </script>
      </body></html>
      """;
}
