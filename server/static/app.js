/* app.js: optional polish for the questionnaire form. Every task works without it (plain forms);
   with it: choosing an exclusive option (无) clears the others and the reverse, the band a figure
   gives and the provisional score follow what is typed (POST /form/score, the server's own check
   of the same fields), and a page with mistakes puts the focus on their list. */
(function () {
	"use strict";
	var form = document.getElementById("sheet");
	var mistakes = document.getElementById("mistakes");
	if (mistakes) {
		mistakes.focus();
	}
	if (!form) {
		return;
	}

	/* an exclusive option stands alone */
	form.addEventListener("change", function (ev) {
		var box = ev.target;
		if (box.type !== "checkbox" || !box.checked || box.name.indexOf("q.") !== 0) {
			return;
		}
		var group = form.querySelectorAll("input[type=checkbox]");
		for (var i = 0; i < group.length; i++) {
			var other = group[i];
			if (other === box || other.name !== box.name) {
				continue;
			}
			if (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) {
				other.checked = false;
			}
		}
	});

	/* the band of each figure question and the provisional score, as typed */
	var timer = null;
	var pending = null;
	function refresh() {
		timer = null;
		if (!window.fetch || !window.URLSearchParams || !window.FormData) {
			return;
		}
		var body = new URLSearchParams();
		var data = new FormData(form);
		data.forEach(function (value, name) {
			if (name !== "action" && typeof value === "string") {
				body.append(name, value);
			}
		});
		if (pending) {
			pending.abort();
		}
		pending = window.AbortController ? new AbortController() : null;
		var headers = { "Content-Type": "application/x-www-form-urlencoded" };
		var token = document.querySelector("meta[name=csrf-token]");
		if (token) { /* district mode: the session's token, as every form carries it */
			headers["X-CSRF-Token"] = token.getAttribute("content");
		}
		fetch("/form/score", {
			method: "POST",
			body: body,
			signal: pending ? pending.signal : undefined,
			headers: headers
		}).then(function (r) {
			return r.ok ? r.json() : null;
		}).then(function (j) {
			if (!j) {
				return;
			}
			var score = document.getElementById("score");
			if (score && j.text) {
				score.textContent = j.text;
			}
			var bands = j.bands || {};
			Object.keys(bands).forEach(function (id) {
				var out = document.getElementById("band-" + id);
				if (out && out.textContent !== bands[id]) {
					out.textContent = bands[id];
				}
			});
		}).catch(function () { /* the page still works: saving shows the score */ });
	}
	function later() {
		if (timer) {
			clearTimeout(timer);
		}
		timer = setTimeout(refresh, 400);
	}
	form.addEventListener("input", later);
	form.addEventListener("change", later);
})();
