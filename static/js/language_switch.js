// Choosing a language in the header's list switches at once (the button inside <noscript> does it without JS).
// A file rather than an onchange attribute: the Content-Security-Policy runs no inline script.
document.getElementById("language")?.addEventListener("change", (event) => event.target.form.submit());
