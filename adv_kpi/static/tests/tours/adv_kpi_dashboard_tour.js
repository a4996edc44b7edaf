/** @odoo-module **/

import { registry } from "@web/core/registry";
import {
    backToOverview,
    chartsFit,
    openAdvOverview,
    openCard,
} from "@adv_order_control/../tests/tours/adv_tour_utils";

registry.category("web_tour.tours").add("adv_kpi_dashboard_tour", {
    steps: () => [
        ...openAdvOverview(),
        // A Health card leads to the records behind its signal.
        {
            content: "The DSO Health card shows the signal",
            trigger: ".o_adv_work_queue_kanban .o_kanban_record:contains('Health: DSO'):contains('days')",
        },
        ...openCard("Health: DSO"),
        {
            content: "The customers whose overdue debts make the DSO are listed",
            trigger: ".o_list_view .o_data_row:contains('Tour DSO Customer')",
        },
        ...backToOverview(),
        // The KPI dashboard and its charts.
        {
            content: "Open the dashboards",
            trigger: "body",
            run: "goToUrl /odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
        },
        {
            content: "The ADV dashboard is listed in the Dashboards app",
            trigger: ".o_search_panel_category_value[data-name='ADV KPIs']",
            run: "click",
        },
        {
            content: "It is open",
            trigger: ".o_search_panel_category_value.active[data-name='ADV KPIs']",
        },
        {
            content: "Its spreadsheet is displayed with the period filter",
            trigger: ".o_spreadsheet_dashboard_action .o-grid",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action .o-filter-value, .o_spreadsheet_dashboard_action .o_control_panel",
        },
        // A figure reaching past the sheet's last column is cut by the container of the figures.
        chartsFit(
            ".o_spreadsheet_dashboard_action .o-figure",
            ".o-figure-container",
            "The dashboard's charts fit their frame"
        ),
        // The cash forecast's graph.
        {
            content: "Open the cash forecast",
            trigger: "body",
            run: "goToUrl /odoo/action-adv_credit_mgmt.action_adv_cash_forecast",
        },
        {
            content: "The forecast opens on its graph",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        chartsFit(
            ".o_graph_view .o_graph_renderer",
            ".o_graph_view .o_content",
            "The cash forecast's chart fits its frame"
        ),
    ],
});
