// The Bootstrap Italia components the public site uses, and nothing else
// (built by frontend/build.mjs into static/vendor/bootstrap-italia-2.18.3/js/).
// When a template starts using another component (a modal, an accordion, a
// tooltip...), import it here and run `make frontend`.
//
// - init: Bootstrap Italia's TrackFocus (data-focus-mouse on elements focused with
//   the mouse, so the focus ring shows for the keyboard only).
// - Dropdown: the signed-in visitor's menu (templates/includes/account_menu.html,
//   data-bs-toggle="dropdown"); needs Popper, bundled.
// - NavBarCollapsible: the main menu on phones (templates/includes/header.html,
//   data-bs-toggle="navbarcollapsible").
// - Input: the floating labels of text inputs in a .form-group (filters,
//   enrolment forms, certificate verification).
import "bootstrap-italia/dist/plugins/init.js";
import Dropdown from "bootstrap-italia/dist/plugins/dropdown.js";
import NavBarCollapsible from "bootstrap-italia/dist/plugins/navbar-collapsible.js";
import Input from "bootstrap-italia/dist/plugins/input.js";

// The same global the full bundle defines, with only these components.
window.bootstrap = Object.assign(window.bootstrap || {}, { Dropdown, NavBarCollapsible, Input });
