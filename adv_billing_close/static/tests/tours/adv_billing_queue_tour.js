import { registry } from "@web/core/registry";
import {
    backToOverview,
    openAdvOverview,
    openCard,
    openRow,
} from "@adv_order_control/../tests/tours/adv_tour_utils";

const boardRow = (customer) => `.o_list_view .o_data_row:contains('${customer}')`;

registry.category("web_tour.tours").add("adv_billing_queue_tour", {
    steps: () => [
        ...openAdvOverview(),
        // Easy items: card -> the board's easy lines -> invoice one.
        ...openCard("To invoice: easy"),
        {
            content: "Select the easy line of the customer",
            trigger: `${boardRow("Tour Easy Customer")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Invoice it",
            trigger: ".o_control_panel button[name='action_create_invoices']",
            run: "click",
        },
        {
            content: "The invoice is created",
            trigger: ".o_breadcrumb .active:contains('Invoices')",
        },
        {
            content: "The draft invoice of the 6 hours logged",
            trigger: ".o_list_view .o_data_row:contains('600.00')",
        },
        {
            content: "Back to the easy lines",
            trigger: ".o_breadcrumb a:contains('To invoice: easy')",
            run: "click",
        },
        {
            content: "Invoiced: the line has left the easy lines",
            trigger: `.o_list_view:not(:has(${boardRow("Tour Easy Customer")}))`,
        },
        ...backToOverview(),
        // Blocked items: card -> the board shows why -> defer with a reason.
        ...openCard("To invoice: blocked"),
        {
            content: "The board says what blocks the line",
            trigger: `${boardRow("Tour Blocked Customer")} td[name='blocker_message']:contains('PO number missing')`,
        },
        {
            content: "Select the blocked line",
            trigger: `${boardRow("Tour Blocked Customer")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Defer it to the next period",
            trigger: ".o_control_panel button[name='action_defer']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit The customer sends its PO next month",
        },
        {
            content: "Defer",
            trigger: ".modal .modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Deferred: the line leaves the blocked lines of the close",
            trigger: `body:not(:has(.modal)) .o_list_view:not(:has(${boardRow("Tour Blocked Customer")}))`,
        },
        ...backToOverview(),
        // Timesheets missing: card -> the late timesheets -> remind the employee.
        ...openCard("Timesheets missing"),
        openRow("Tour Late Consultant"),
        {
            content: "Remind the employee",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_remind']",
            run: "click",
        },
        {
            content: "The reminder is counted",
            trigger: ".o_form_view div[name='reminder_count']:contains('1')",
        },
    ],
});
