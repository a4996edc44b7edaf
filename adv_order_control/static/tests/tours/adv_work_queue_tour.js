import { registry } from "@web/core/registry";
import { backToOverview, openAdvOverview, openCard, openRow } from "./adv_tour_utils";

registry.category("web_tour.tours").add("adv_work_queue_overview_tour", {
    steps: () => [
        ...openAdvOverview(),
        // Documents to validate: card -> the received documents -> validate one.
        ...openCard("Documents to validate"),
        {
            content: "The list behind the card shows the received document: validate it",
            trigger: ".o_list_view .o_data_row:contains('Tour Queue Customer') button[name='action_validate']",
            run: "click",
        },
        {
            content: "Validated: the document leaves the list of documents to validate",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Queue Customer')))",
        },
        ...backToOverview(),
        // Provisional orders past their deadline: card -> the late order -> the missing document is in.
        ...openCard("Provisional orders past their deadline"),
        openRow("Tour Late Customer"),
        {
            content: "The order says it is provisional",
            trigger: ".o_form_view .alert-warning:contains('Provisional order')",
        },
        {
            content: "Open the contract documents",
            trigger: "a.nav-link:contains('Contract Documents')",
            run: "click",
        },
        {
            content: "The customer's purchase order came on paper: record that its original was seen",
            trigger:
                "div[name='adv_checklist_ids'] .o_data_row:contains('Customer purchase order') button[name='action_original_seen']",
            run: "click",
        },
        {
            content: "Validate it",
            trigger:
                "div[name='adv_checklist_ids'] .o_data_row:contains('Customer purchase order') button[name='action_validate']",
            run: "click",
        },
        {
            content: "The order is complete",
            trigger: "div[name='adv_contract_status'] .badge:contains('Complete')",
        },
        {
            content: "Back to the list of late provisional orders",
            trigger: ".o_breadcrumb a:contains('Provisional orders past their deadline')",
            run: "click",
        },
        {
            content: "The order has left the list",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Late Customer')))",
        },
    ],
});
