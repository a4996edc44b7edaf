import { registry } from "@web/core/registry";
import {
    backToOverview,
    openAdvOverview,
    openCard,
    openRow,
} from "@adv_order_control/../tests/tours/adv_tour_utils";

registry.category("web_tour.tours").add("adv_credit_queue_tour", {
    steps: () => [
        ...openAdvOverview(),
        // Orders on credit hold: card -> the held order -> the Credit Manager releases it with a reason.
        ...openCard("Orders on credit hold"),
        openRow("Tour Hold Customer"),
        {
            content: "The order says it is on credit hold",
            trigger: ".o_form_view .alert-danger:contains('Credit hold')",
        },
        {
            content: "Release the hold",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_adv_release_credit_hold']",
            run: "click",
        },
        {
            content: "Say why the risk is accepted",
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Payment promised by the customer's CFO",
        },
        {
            content: "Release",
            trigger: ".modal .modal-footer button[name='action_release']",
            run: "click",
        },
        {
            content: "Released: the order is no longer on hold",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(.alert-danger:contains('Credit hold')))",
        },
        {
            content: "Back to the orders on hold",
            trigger: ".o_breadcrumb a:contains('Orders on credit hold')",
            run: "click",
        },
        {
            content: "The order has left the list",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Hold Customer')))",
        },
        ...backToOverview(),
        // Disputes past their deadline: card -> the late dispute -> send it to the committee.
        ...openCard("Disputes past their deadline"),
        openRow("Tour Dispute Customer"),
        {
            content: "The dispute shows its agreed resolution deadline",
            trigger: ".o_form_view .o_field_widget[name='deadline']",
        },
        {
            content: "Send it to the committee",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_send_to_committee']",
            run: "click",
        },
        {
            content: "The dispute is in committee",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('In Committee')",
        },
    ],
});
