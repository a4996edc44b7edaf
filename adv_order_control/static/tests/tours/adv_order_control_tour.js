import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("adv_order_control_provisional_tour", {
    steps: () => [
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']:not(.d-none):visible",
            run: "click",
        },
        {
            content: "The ADV wizard lists the missing purchase order",
            trigger: ".modal .o_field_one2many td:contains('Customer purchase order')",
        },
        {
            content: "Give the reason",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Customer PO expected next week",
        },
        {
            content: "Confirm provisionally",
            trigger: ".modal button:contains('Confirm Provisionally')",
            run: "click",
        },
        {
            content: "The order is provisional",
            trigger: ".o_form_view .alert-warning:contains('Provisional order')",
        },
        {
            content: "Open the contract documents",
            trigger: "a.nav-link:contains('Contract Documents')",
            run: "click",
        },
        {
            content: "Record that the paper original was seen (no file attached)",
            trigger: "div[name='adv_checklist_ids'] button[name='action_original_seen']",
            run: "click",
        },
        {
            content: "The document is received",
            trigger: "div[name='adv_checklist_ids']:not(:has(button[name='action_original_seen']))",
        },
        {
            content: "Validate the document received from the customer",
            trigger: "div[name='adv_checklist_ids'] button[name='action_validate']",
            run: "click",
        },
        {
            content: "The order is complete",
            trigger: "div[name='adv_contract_status'] .badge:contains('Complete')",
        },
    ],
});
