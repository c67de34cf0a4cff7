/* The sign-in page's 扫码签到 (issue 44 item 3): a handheld scanner types the 准考证 QR text into the field and
   presses Enter, which posts the form (no script needed); the 扫描准考证 button opens the camera and reads the
   code (BarcodeDetector where the browser has it, the vendored jsQR otherwise), puts the text in the field and
   posts the same form. The server resolves the text (certification.tickets.seat_for) and marks the seat
   present, or says why not. Texts come from the form's data-t-* attributes. */
(function () {
  "use strict";
  const form = document.getElementById("scan");
  if (!form) return;
  const t = form.dataset;
  const field = document.getElementById("scan-token");
  const button = document.getElementById("scan-camera");
  const video = document.getElementById("scan-video");
  const status = document.getElementById("scan-status");

  // Back from a scan the page comes back at #scan-token: the browser focuses the field (the fragment's
  // target), ready for the next ticket; focused here too for a browser that only scrolls to it.
  if (location.hash === "#scan-token") field.focus();

  const decode = window.PortalQR.decode;  // static/portal/qr_read.js


  let stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.classList.add("d-none");
    button.textContent = t.tScan;
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;  // the field alone
  button.classList.remove("d-none");
  button.addEventListener("click", async () => {
    if (stream) { stop(); status.textContent = ""; return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      status.textContent = t.tNoCamera;
      return;
    }
    video.srcObject = stream;
    video.classList.remove("d-none");
    button.textContent = t.tStop;
    status.textContent = t.tScanning;
    try { await video.play(); } catch (e) { /* the frames still come */ }
    const scan = async () => {
      if (!stream) return;
      const text = video.videoWidth ? await decode(video, video.videoWidth, video.videoHeight) : "";
      if (text) {
        stop();
        field.value = text;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      } else {
        setTimeout(scan, 250);
      }
    };
    scan();
  });
})();
