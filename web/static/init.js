// Pollen's progressive enhancement: GOV.UK Frontend's components, started
// only in browsers that support them (the layout marks the body with
// govuk-frontend-supported). Every page works without it.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

if (document.body.classList.contains("govuk-frontend-supported")) {
  initAll();
}
