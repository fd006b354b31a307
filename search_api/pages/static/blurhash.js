/* Blurhash decoding (https://blurha.sh, the published algorithm) into a small canvas: the colour
 * shape a mirrored card image shows while it loads. No dependency; window.SDBlurhash. */
"use strict";
(function () {
  const CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

  function decode83(str) {
    let value = 0;
    for (const c of str) {
      const digit = CHARS.indexOf(c);
      if (digit < 0) throw new Error("bad blurhash");
      value = value * 83 + digit;
    }
    return value;
  }
  function toLinear(v) { const x = v / 255; return x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }
  function toSrgb(v) {
    const x = Math.max(0, Math.min(1, v));
    return Math.round(x <= 0.0031308 ? x * 12.92 * 255 + 0.5 : (1.055 * Math.pow(x, 1 / 2.4) - 0.055) * 255 + 0.5);
  }
  function signPow(v, e) { return Math.sign(v) * Math.pow(Math.abs(v), e); }

  /** RGBA pixels (Uint8ClampedArray of width x height) of a blurhash string. */
  function decode(hash, width, height) {
    if (!hash || hash.length < 6) throw new Error("bad blurhash");
    const size = decode83(hash[0]);
    const nx = (size % 9) + 1, ny = Math.floor(size / 9) + 1;
    if (hash.length !== 4 + 2 * nx * ny) throw new Error("bad blurhash length");
    const maxValue = (decode83(hash[1]) + 1) / 166;
    const colors = [];
    const dc = decode83(hash.slice(2, 6));
    colors.push([toLinear(dc >> 16), toLinear((dc >> 8) & 255), toLinear(dc & 255)]);
    for (let i = 1; i < nx * ny; i++) {
      const v = decode83(hash.slice(4 + i * 2, 6 + i * 2));
      const q = [Math.floor(v / (19 * 19)), Math.floor(v / 19) % 19, v % 19];
      colors.push(q.map((c) => signPow((c - 9) / 9, 2) * maxValue));
    }
    const pixels = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let r = 0, g = 0, b = 0;
        for (let j = 0; j < ny; j++) {
          for (let i = 0; i < nx; i++) {
            const basis = Math.cos((Math.PI * x * i) / width) * Math.cos((Math.PI * y * j) / height);
            const c = colors[i + j * nx];
            r += c[0] * basis; g += c[1] * basis; b += c[2] * basis;
          }
        }
        const p = 4 * (x + y * width);
        pixels[p] = toSrgb(r); pixels[p + 1] = toSrgb(g); pixels[p + 2] = toSrgb(b); pixels[p + 3] = 255;
      }
    }
    return pixels;
  }

  /** A canvas (32 px wide, stretched by CSS) painted with the hash, or null for a bad hash. */
  function canvas(hash, width = 21, height = 29) {
    try {
      const pixels = decode(hash, width, height);
      const el = document.createElement("canvas");
      el.width = width; el.height = height;
      el.className = "blurhash";
      el.setAttribute("aria-hidden", "true");
      el.getContext("2d").putImageData(new ImageData(pixels, width, height), 0, 0);
      return el;
    } catch (e) {
      return null;
    }
  }

  window.SDBlurhash = { decode, canvas };
})();
