/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("adv_billing_board_tour", {
    url: "/odoo/action-adv_billing_close.action_adv_preinvoice",
    steps: () => [
        {
            content: "The board lists the ready line first",
            trigger: ".o_list_view .o_data_row:first-child td[name='state']:contains('Ready')",
        },
        {
            content: "Show only the ready lines",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_menu_item:contains('Ready')",
            run: "click",
        },
        {
            content: "Wait for the filtered list before selecting",
            trigger: ".o_searchview_facet:contains('Ready')",
        },
        {
            trigger: ".o_list_view .o_data_row td[name='state']:contains('Ready')",
        },
        {
            content: "Select them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Invoice them in one click",
            trigger: "button[name='action_create_invoices']",
            run: "click",
        },
        {
            content: "The invoices are created",
            trigger: ".o_breadcrumb .active:contains('Invoices')",
        },
        {
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Back to the board",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "The blocked line stays, with its reason",
            trigger: ".o_list_view .o_data_row td[name='blocker_message']:contains('PO number missing')",
        },
    ],
});
