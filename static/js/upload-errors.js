/*
 * Shows, next to the markdownx editor, why an uploaded file was refused: the
 * server's message (e.g. "This file is not a JPEG, PNG, WebP or GIF image"),
 * which the stock editor only writes to the console. Announced to screen
 * readers (role="alert"); hidden again after the next successful upload.
 */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".markdownx").forEach(function (editor) {
    var note = document.createElement("p");
    note.className = "errornote upload-error";
    note.setAttribute("role", "alert");
    note.hidden = true;
    editor.insertBefore(note, editor.firstChild);

    editor.addEventListener("markdownx.fileUploadError", function (event) {
      var errors = (event.detail && event.detail[0]) || {};
      var messages = [];
      Object.keys(errors).forEach(function (field) {
        messages = messages.concat(errors[field]);
      });
      note.textContent = messages.join(" ");
      note.hidden = messages.length === 0;
    });
    editor.addEventListener("markdownx.fileUploadEnd", function () {
      note.hidden = true;
    });
  });
});
