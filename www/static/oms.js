/*
 * oms.js: small progressive enhancements.  Every page works fully
 * without it: the Content-Security-Policy allows scripts from files
 * only, so no script is ever inline and nothing depends on this one.
 *
 * On the asset query form (form.filter):
 *  - choosing in a select with the mouse or by touch applies the
 *    filters at once, as Apply does; a choice made with the keyboard
 *    waits for Apply, so arrowing through the options does not reload
 *    the page at every step;
 *  - empty fields are left out of the address, so a filtered page has a
 *    short URL ("?type=line" rather than "?type=line&status=&cc=&q=").
 */
(function () {
	"use strict";

	var form = document.querySelector("form.filter");
	var keyed = null; /* the select last changed from the keyboard */

	if (!form || !window.URLSearchParams || !window.FormData)
		return;

	/* Go to the form's action with its non-empty fields. */
	function apply() {
		var params = new URLSearchParams();
		var query;

		new FormData(form).forEach(function (value, name) {
			if (typeof value === "string" && value.trim() !== "")
				params.append(name, value.trim());
		});
		query = params.toString();
		form.setAttribute("aria-busy", "true");
		window.location.assign(form.action + (query ? "?" + query : ""));
	}

	form.addEventListener("submit", function (event) {
		event.preventDefault();
		apply();
	});

	form.addEventListener("keydown", function (event) {
		if (event.target.tagName === "SELECT")
			keyed = event.target;
	});

	form.addEventListener("pointerdown", function () {
		keyed = null;
	});

	form.addEventListener("change", function (event) {
		if (event.target.tagName === "SELECT" && event.target !== keyed)
			apply();
	});

	/* Back from the next page through the history cache: live again. */
	window.addEventListener("pageshow", function () {
		form.removeAttribute("aria-busy");
		keyed = null;
	});
})();
