from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.rpc import status_pb2 as _status_pb2
from orderservice.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ADDRESS_CHANGE_OUTCOME_CANCEL_AND_REORDER: AddressChangeOutcome
ADDRESS_CHANGE_OUTCOME_CARRIER_RETURN: AddressChangeOutcome
ADDRESS_CHANGE_OUTCOME_CONTACT_CUSTOMER_SERVICE: AddressChangeOutcome
ADDRESS_CHANGE_OUTCOME_UNSPECIFIED: AddressChangeOutcome
CARRIER_RETURN_CAUSE_BUYER_CANNOT_RECEIVE: CarrierReturnCause
CARRIER_RETURN_CAUSE_BUYER_NOT_RESPONDING: CarrierReturnCause
CARRIER_RETURN_CAUSE_UNSPECIFIED: CarrierReturnCause
DESCRIPTOR: _descriptor.FileDescriptor
ORDER_REPORT_TYPE_ALL_ORDERS: OrderReportType
ORDER_REPORT_TYPE_UNSHIPPED_ORDERS: OrderReportType
ORDER_REPORT_TYPE_UNSPECIFIED: OrderReportType
REPLY_TEMPLATE_ID_T1_USE_OFFICIAL_CANCELLATION: ReplyTemplateId
REPLY_TEMPLATE_ID_T2_PENDING_CONTACT_CUSTOMER_SERVICE: ReplyTemplateId
REPLY_TEMPLATE_ID_T3_SHIPPED_RETURN_FOR_REFUND: ReplyTemplateId
REPLY_TEMPLATE_ID_T4_CANCEL_AND_REORDER: ReplyTemplateId
REPLY_TEMPLATE_ID_T5_PLACE_NEW_ORDER: ReplyTemplateId
REPLY_TEMPLATE_ID_T6_CARRIER_RETURN: ReplyTemplateId
REPLY_TEMPLATE_ID_UNSPECIFIED: ReplyTemplateId

class AuthorizePaymentRequest(_message.Message):
    __slots__ = ["buyer_contact", "order_id", "request_id", "shipping_address"]
    BUYER_CONTACT_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    buyer_contact: _types_pb2.BuyerContact
    order_id: str
    request_id: str
    shipping_address: _types_pb2.ShippingAddress
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., shipping_address: _Optional[_Union[_types_pb2.ShippingAddress, _Mapping]] = ..., buyer_contact: _Optional[_Union[_types_pb2.BuyerContact, _Mapping]] = ...) -> None: ...

class AuthorizePaymentResponse(_message.Message):
    __slots__ = ["order"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ...) -> None: ...

class CancelOrderRequest(_message.Message):
    __slots__ = ["note", "order_id", "reason", "request_id", "requester", "validate_only"]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    note: str
    order_id: str
    reason: _types_pb2.CancelReason
    request_id: str
    requester: _types_pb2.CancellationRequester
    validate_only: bool
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., reason: _Optional[_Union[_types_pb2.CancelReason, str]] = ..., requester: _Optional[_Union[_types_pb2.CancellationRequester, str]] = ..., note: _Optional[str] = ..., validate_only: bool = ...) -> None: ...

class CancelOrderResponse(_message.Message):
    __slots__ = ["cancellation", "order", "rate_impact"]
    CANCELLATION_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    RATE_IMPACT_FIELD_NUMBER: _ClassVar[int]
    cancellation: _types_pb2.Cancellation
    order: _types_pb2.Order
    rate_impact: CancellationRateImpact
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ..., cancellation: _Optional[_Union[_types_pb2.Cancellation, _Mapping]] = ..., rate_impact: _Optional[_Union[CancellationRateImpact, _Mapping]] = ...) -> None: ...

class CancellationFeedLine(_message.Message):
    __slots__ = ["note", "order_id", "reason", "requester"]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    note: str
    order_id: str
    reason: _types_pb2.CancelReason
    requester: _types_pb2.CancellationRequester
    def __init__(self, order_id: _Optional[str] = ..., reason: _Optional[_Union[_types_pb2.CancelReason, str]] = ..., requester: _Optional[_Union[_types_pb2.CancellationRequester, str]] = ..., note: _Optional[str] = ...) -> None: ...

class CancellationRateImpact(_message.Message):
    __slots__ = ["counts_against_seller_rate", "crosses_target", "rate_after_basis_points", "rate_before_basis_points", "target_basis_points"]
    COUNTS_AGAINST_SELLER_RATE_FIELD_NUMBER: _ClassVar[int]
    CROSSES_TARGET_FIELD_NUMBER: _ClassVar[int]
    RATE_AFTER_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    RATE_BEFORE_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    TARGET_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    counts_against_seller_rate: bool
    crosses_target: bool
    rate_after_basis_points: int
    rate_before_basis_points: int
    target_basis_points: int
    def __init__(self, counts_against_seller_rate: bool = ..., rate_before_basis_points: _Optional[int] = ..., rate_after_basis_points: _Optional[int] = ..., target_basis_points: _Optional[int] = ..., crosses_target: bool = ...) -> None: ...

class ConfirmShipmentRequest(_message.Message):
    __slots__ = ["acknowledge_buyer_cancellation_request", "carrier", "lines", "order_id", "request_id", "ship_time", "tracking_number"]
    ACKNOWLEDGE_BUYER_CANCELLATION_REQUEST_FIELD_NUMBER: _ClassVar[int]
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SHIP_TIME_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    acknowledge_buyer_cancellation_request: bool
    carrier: str
    lines: _containers.RepeatedCompositeFieldContainer[_types_pb2.ShipmentLine]
    order_id: str
    request_id: str
    ship_time: _timestamp_pb2.Timestamp
    tracking_number: str
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[_types_pb2.ShipmentLine, _Mapping]]] = ..., carrier: _Optional[str] = ..., tracking_number: _Optional[str] = ..., ship_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., acknowledge_buyer_cancellation_request: bool = ...) -> None: ...

class ConfirmShipmentResponse(_message.Message):
    __slots__ = ["order", "shipment"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    SHIPMENT_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    shipment: _types_pb2.Shipment
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ..., shipment: _Optional[_Union[_types_pb2.Shipment, _Mapping]] = ...) -> None: ...

class CreateOrderRequest(_message.Message):
    __slots__ = ["buyer_id", "currency_code", "items", "latest_ship_time", "order_id", "purchase_time", "request_id", "seller_id"]
    BUYER_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    LATEST_SHIP_TIME_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SELLER_ID_FIELD_NUMBER: _ClassVar[int]
    buyer_id: str
    currency_code: str
    items: _containers.RepeatedCompositeFieldContainer[NewOrderItem]
    latest_ship_time: _timestamp_pb2.Timestamp
    order_id: str
    purchase_time: _timestamp_pb2.Timestamp
    request_id: str
    seller_id: str
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., seller_id: _Optional[str] = ..., buyer_id: _Optional[str] = ..., currency_code: _Optional[str] = ..., purchase_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., latest_ship_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., items: _Optional[_Iterable[_Union[NewOrderItem, _Mapping]]] = ...) -> None: ...

class CreateOrderResponse(_message.Message):
    __slots__ = ["order"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ...) -> None: ...

class FeedLineResult(_message.Message):
    __slots__ = ["cancellation", "line_number", "order_id", "rate_impact", "refund", "status"]
    CANCELLATION_FIELD_NUMBER: _ClassVar[int]
    LINE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_IMPACT_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    cancellation: _types_pb2.Cancellation
    line_number: int
    order_id: str
    rate_impact: CancellationRateImpact
    refund: _types_pb2.Refund
    status: _status_pb2.Status
    def __init__(self, line_number: _Optional[int] = ..., order_id: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., cancellation: _Optional[_Union[_types_pb2.Cancellation, _Mapping]] = ..., rate_impact: _Optional[_Union[CancellationRateImpact, _Mapping]] = ..., refund: _Optional[_Union[_types_pb2.Refund, _Mapping]] = ...) -> None: ...

class FeedSummary(_message.Message):
    __slots__ = ["accepted", "failed", "lines"]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    accepted: int
    failed: int
    lines: int
    def __init__(self, lines: _Optional[int] = ..., accepted: _Optional[int] = ..., failed: _Optional[int] = ...) -> None: ...

class GetCancellationMetricsRequest(_message.Message):
    __slots__ = ["window"]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    window: _duration_pb2.Duration
    def __init__(self, window: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class GetCancellationMetricsResponse(_message.Message):
    __slots__ = ["counted_cancellations", "counted_order_ids", "rate_basis_points", "target_basis_points", "target_met", "total_orders", "window_end", "window_start"]
    COUNTED_CANCELLATIONS_FIELD_NUMBER: _ClassVar[int]
    COUNTED_ORDER_IDS_FIELD_NUMBER: _ClassVar[int]
    RATE_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    TARGET_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    TARGET_MET_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ORDERS_FIELD_NUMBER: _ClassVar[int]
    WINDOW_END_FIELD_NUMBER: _ClassVar[int]
    WINDOW_START_FIELD_NUMBER: _ClassVar[int]
    counted_cancellations: int
    counted_order_ids: _containers.RepeatedScalarFieldContainer[str]
    rate_basis_points: int
    target_basis_points: int
    target_met: bool
    total_orders: int
    window_end: _timestamp_pb2.Timestamp
    window_start: _timestamp_pb2.Timestamp
    def __init__(self, window_start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., window_end: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., counted_cancellations: _Optional[int] = ..., total_orders: _Optional[int] = ..., rate_basis_points: _Optional[int] = ..., target_basis_points: _Optional[int] = ..., target_met: bool = ..., counted_order_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetOrderRequest(_message.Message):
    __slots__ = ["order_id"]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class GetOrderResponse(_message.Message):
    __slots__ = ["order"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ...) -> None: ...

class GetReplyTemplateRequest(_message.Message):
    __slots__ = ["language_code", "order_id", "template_id"]
    LANGUAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    language_code: str
    order_id: str
    template_id: ReplyTemplateId
    def __init__(self, template_id: _Optional[_Union[ReplyTemplateId, str]] = ..., order_id: _Optional[str] = ..., language_code: _Optional[str] = ...) -> None: ...

class GetReplyTemplateResponse(_message.Message):
    __slots__ = ["template"]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    template: ReplyTemplate
    def __init__(self, template: _Optional[_Union[ReplyTemplate, _Mapping]] = ...) -> None: ...

class ListOrdersRequest(_message.Message):
    __slots__ = ["has_buyer_cancellation_request", "page_size", "page_token", "purchase_time_end", "purchase_time_start", "statuses"]
    HAS_BUYER_CANCELLATION_REQUEST_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TIME_END_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TIME_START_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    has_buyer_cancellation_request: bool
    page_size: int
    page_token: str
    purchase_time_end: _timestamp_pb2.Timestamp
    purchase_time_start: _timestamp_pb2.Timestamp
    statuses: _containers.RepeatedScalarFieldContainer[_types_pb2.OrderStatus]
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., statuses: _Optional[_Iterable[_Union[_types_pb2.OrderStatus, str]]] = ..., purchase_time_start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., purchase_time_end: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., has_buyer_cancellation_request: bool = ...) -> None: ...

class ListOrdersResponse(_message.Message):
    __slots__ = ["next_page_token", "orders"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    orders: _containers.RepeatedCompositeFieldContainer[_types_pb2.Order]
    def __init__(self, orders: _Optional[_Iterable[_Union[_types_pb2.Order, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class NewOrderItem(_message.Message):
    __slots__ = ["order_item_id", "quantity", "sku", "title", "unit_charges"]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    UNIT_CHARGES_FIELD_NUMBER: _ClassVar[int]
    order_item_id: str
    quantity: int
    sku: str
    title: str
    unit_charges: _containers.RepeatedCompositeFieldContainer[_types_pb2.ChargeAmount]
    def __init__(self, order_item_id: _Optional[str] = ..., sku: _Optional[str] = ..., title: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_charges: _Optional[_Iterable[_Union[_types_pb2.ChargeAmount, _Mapping]]] = ...) -> None: ...

class ReplyTemplate(_message.Message):
    __slots__ = ["body", "language_code", "subject", "template_id"]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_CODE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    body: str
    language_code: str
    subject: str
    template_id: ReplyTemplateId
    def __init__(self, template_id: _Optional[_Union[ReplyTemplateId, str]] = ..., language_code: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ...) -> None: ...

class RequestAddressChangeRequest(_message.Message):
    __slots__ = ["order_id", "reason", "request_id"]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    reason: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RequestAddressChangeResponse(_message.Message):
    __slots__ = ["order", "outcome", "reply"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    outcome: AddressChangeOutcome
    reply: ReplyTemplate
    def __init__(self, outcome: _Optional[_Union[AddressChangeOutcome, str]] = ..., reply: _Optional[_Union[ReplyTemplate, _Mapping]] = ..., order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ...) -> None: ...

class RequestCancellationRequest(_message.Message):
    __slots__ = ["order_id", "reason", "request_id"]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    reason: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RequestCancellationResponse(_message.Message):
    __slots__ = ["order"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ...) -> None: ...

class RequestCarrierReturnRequest(_message.Message):
    __slots__ = ["cause", "note", "order_id", "request_id"]
    CAUSE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    cause: CarrierReturnCause
    note: str
    order_id: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., order_id: _Optional[str] = ..., cause: _Optional[_Union[CarrierReturnCause, str]] = ..., note: _Optional[str] = ...) -> None: ...

class RequestCarrierReturnResponse(_message.Message):
    __slots__ = ["order"]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: _types_pb2.Order
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ...) -> None: ...

class StreamOrderReportRequest(_message.Message):
    __slots__ = ["include_buyer_cancellation_request", "purchase_time_end", "purchase_time_start", "report_type", "resume_after"]
    INCLUDE_BUYER_CANCELLATION_REQUEST_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TIME_END_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TIME_START_FIELD_NUMBER: _ClassVar[int]
    REPORT_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESUME_AFTER_FIELD_NUMBER: _ClassVar[int]
    include_buyer_cancellation_request: bool
    purchase_time_end: _timestamp_pb2.Timestamp
    purchase_time_start: _timestamp_pb2.Timestamp
    report_type: OrderReportType
    resume_after: str
    def __init__(self, report_type: _Optional[_Union[OrderReportType, str]] = ..., purchase_time_start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., purchase_time_end: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., include_buyer_cancellation_request: bool = ..., resume_after: _Optional[str] = ...) -> None: ...

class StreamOrderReportResponse(_message.Message):
    __slots__ = ["buyer_cancellation_reason", "cursor", "days_past_promise", "is_buyer_requested_cancellation", "order"]
    BUYER_CANCELLATION_REASON_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    DAYS_PAST_PROMISE_FIELD_NUMBER: _ClassVar[int]
    IS_BUYER_REQUESTED_CANCELLATION_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    buyer_cancellation_reason: str
    cursor: str
    days_past_promise: int
    is_buyer_requested_cancellation: bool
    order: _types_pb2.Order
    def __init__(self, order: _Optional[_Union[_types_pb2.Order, _Mapping]] = ..., is_buyer_requested_cancellation: bool = ..., buyer_cancellation_reason: _Optional[str] = ..., cursor: _Optional[str] = ..., days_past_promise: _Optional[int] = ...) -> None: ...

class SubmitCancellationFeedRequest(_message.Message):
    __slots__ = ["lines", "request_id", "validate_only"]
    LINES_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedCompositeFieldContainer[CancellationFeedLine]
    request_id: str
    validate_only: bool
    def __init__(self, request_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[CancellationFeedLine, _Mapping]]] = ..., validate_only: bool = ...) -> None: ...

class SubmitCancellationFeedResponse(_message.Message):
    __slots__ = ["results", "summary"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[FeedLineResult]
    summary: FeedSummary
    def __init__(self, summary: _Optional[_Union[FeedSummary, _Mapping]] = ..., results: _Optional[_Iterable[_Union[FeedLineResult, _Mapping]]] = ...) -> None: ...

class AddressChangeOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class CarrierReturnCause(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ReplyTemplateId(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class OrderReportType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
