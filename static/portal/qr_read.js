/* Reading a QR code in the browser, for the pages that scan one: the offline certificate check
   (certificates/offline_verify.js, issue 45) and the exam-day sign-in (certification/sign_in.js, issue 44).
   BarcodeDetector where the browser has it, else the vendored jsQR (static/vendor/jsqr, loaded by the page
   before this file). PortalQR.decode(source, width, height) -> the code's text, or "" when none is read;
   source is anything drawImage takes (an image bitmap, a playing video). */
(function () {
  "use strict";
  async function decode(source, width, height) {
    if ("BarcodeDetector" in window) {
      try {
        const found = await new window.BarcodeDetector({ formats: ["qr_code"] }).detect(source);
        if (found.length) return found[0].rawValue;
      } catch (e) { /* fall back to jsQR */ }
    }
    if (!window.jsQR || !width || !height) return "";
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    const code = window.jsQR(image.data, width, height, { inversionAttempts: "attemptBoth" });
    return code ? code.data : "";
  }
  window.PortalQR = { decode: decode };
})();
