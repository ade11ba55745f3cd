/*
 * The page change form's editor (loaded by PageAdmin.Media; no inline script, the CSP is strict):
 * - the live preview follows the form's language, slug, parent and "main menu" choice;
 * - "Add image": a file input that uploads to the markdownx upload address;
 * - every inserted image (button, drag-and-drop or paste) stands on its own line;
 * - Tab leaves the text (markdownx turns it into an indent, a keyboard trap: WCAG 2.1.2);
 *   markdownx's own Ctrl+] and Ctrl+[ still indent and unindent.
 */
"use strict";

(function () {
  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  function refresh(editor) {
    editor.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function syncPreviewAddress(editor) {
    var base = (editor.getAttribute("data-markdownx-urls-path") || "").split("?")[0];
    var params = new URLSearchParams();
    var fields = { language: "id_language", slug: "id_slug", parent: "id_parent" };
    Object.keys(fields).forEach(function (name) {
      var field = document.getElementById(fields[name]);
      if (field && field.value) params.set(name, field.value);
    });
    var topLevel = document.getElementById("id_top_level");
    if (topLevel && topLevel.checked) params.set("top_level", "1");
    editor.setAttribute("data-markdownx-urls-path", base + "?" + params.toString());
  }

  // Put `code` on a line of its own: a blank line before and after, never glued to a sentence.
  function ownLine(text, start, end, code) {
    var before = text.slice(0, start), after = text.slice(end);
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var tail = after === "" || /^\n\n/.test(after) ? "\n" : /^\n/.test(after) ? "\n" : "\n\n";
    return { value: before + lead + code + tail + after, cursor: (before + lead + code).length };
  }

  function insertImage(editor, code, replaceFrom) {
    var start = editor.selectionStart, end = editor.selectionEnd;
    if (replaceFrom !== undefined) {
      start = replaceFrom;
      end = replaceFrom + code.length;
    }
    var result = ownLine(editor.value, start, end, code);
    editor.value = result.value;
    editor.selectionStart = editor.selectionEnd = result.cursor;
    refresh(editor);
  }

  function csrfToken() {
    var input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function setUpImageUpload(container, editor) {
    var tools = container.querySelector(".image-upload");
    if (!tools) return;
    var input = tools.querySelector("input[type=file]");
    var status = tools.querySelector(".image-upload-status");
    tools.hidden = false;
    input.addEventListener("change", function () {
      if (!input.files.length) return;
      var form = new FormData();
      form.append("image", input.files[0]);
      form.append("csrfmiddlewaretoken", csrfToken());
      status.textContent = status.dataset.uploading;
      fetch(editor.getAttribute("data-markdownx-upload-urls-path"), {
        method: "POST",
        body: form,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then(function (data) {
          if (!data.image_code) return Promise.reject("no image code");
          insertImage(editor, data.image_code);
          status.textContent = status.dataset.done;
          input.value = "";
          editor.focus();
        })
        .catch(function () {
          status.textContent = status.dataset.failed;
        });
    });
  }

  onReady(function () {
    var editor = document.querySelector("#page_form .markdownx-editor");
    if (!editor) return;
    var container = editor.closest(".markdownx");
    syncPreviewAddress(editor);
    ["id_language", "id_slug", "id_parent", "id_top_level"].forEach(function (id) {
      var field = document.getElementById(id);
      if (!field) return;
      field.addEventListener("change", function () {
        syncPreviewAddress(editor);
        refresh(editor);
      });
    });
    // The parent field is a select2 autocomplete: it announces changes through jQuery only.
    if (window.django && window.django.jQuery) {
      window.django.jQuery("#id_parent").on("change", function () {
        syncPreviewAddress(editor);
        refresh(editor);
      });
    }
    setUpImageUpload(container, editor);
    // Before markdownx's listener on the text (capture, on an ancestor): the browser's own Tab.
    document.addEventListener(
      "keydown",
      function (event) {
        if (event.key === "Tab" && event.target === editor) event.stopPropagation();
      },
      true
    );
    // markdownx's own drag-and-drop and paste insert the code at the cursor, glued to the text.
    container.addEventListener("markdownx.fileUploadEnd", function (event) {
      var code = event.detail && event.detail[0] && event.detail[0].image_code;
      var at = code ? editor.value.lastIndexOf(code) : -1;
      if (at >= 0) insertImage(editor, code, at);
    });
    refresh(editor);
  });
})();
