/*
 * oms.js: small progressive enhancements.  Every page works fully
 * without it: the Content-Security-Policy allows scripts from files
 * only, so no script is ever inline and nothing depends on this one.
 *
 * On the filter forms (form.filter: the asset query, the audit log):
 *  - choosing in a select with the mouse or by touch applies the
 *    filters at once, as Apply does; a choice made with the keyboard
 *    waits for Apply, so arrowing through the options does not reload
 *    the page at every step;
 *  - empty fields are left out of the address, so a filtered page has a
 *    short URL ("?type=line" rather than "?type=line&status=&cc=&q=").
 *
 * On the user form: the site checkboxes follow the role and customer
 * chosen (see below).
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
		/* The attribute, not form.action: a field named "action" (the
		 * audit log's filter has one) would shadow that property. */
		window.location.assign(form.getAttribute("action") +
		    (query ? "?" + query : ""));
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

/*
 * On the user form (fieldset.sites, written by user.xsl): the sites
 * offered are those of the customer as saved.  While another customer
 * or a role other than Customer is chosen they do not apply, so they
 * are disabled (a disabled checkbox is not sent) and a note under them
 * says why; going back to the saved choice brings them back as they
 * were.  Without this script the server refuses such a form with the
 * same explanation.
 */
(function () {
	"use strict";

	var sites = document.querySelector("fieldset.sites");
	var customer = document.getElementById("u-customer");
	var role = document.getElementById("u-role");
	var note, saved;

	if (!sites || !customer || !role)
		return;
	saved = customer.value;
	note = document.createElement("p");
	note.className = "hint";
	note.id = "u-sites-note";
	note.setAttribute("aria-live", "polite");
	sites.parentNode.insertBefore(note, sites.nextSibling);

	/* Enable or disable the sites for the choices now in the form. */
	function sync() {
		var why = "";

		if (role.value !== "customer")
			why = "Only customer users can be limited to sites.";
		else if (customer.value !== saved)
			why = "These are the sites of the customer saved. Save " +
			    "first; the new customer's sites can then be chosen " +
			    "here (until then the account sees all of them).";
		sites.disabled = why !== "";
		note.textContent = why;
		note.hidden = why === "";
	}

	role.addEventListener("change", sync);
	customer.addEventListener("change", sync);
	/* Back through the history cache, with the choices restored. */
	window.addEventListener("pageshow", sync);
	sync();
})();
