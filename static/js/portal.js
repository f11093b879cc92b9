// Progressive enhancement only: every page works without this file.
(function () {
    "use strict";
    // Filter forms submit themselves when a select or radio changes, saving a click.
    document.querySelectorAll("form.filters").forEach(function (form) {
        form.addEventListener("change", function (event) {
            if (event.target.matches("select, input[type=radio], input[type=checkbox]")) {
                form.requestSubmit ? form.requestSubmit() : form.submit();
            }
        });
    });
})();
