from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from orderservice.v1 import types_pb2 as _types_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
NOTIFICATION_AUDIENCE_BUYER: NotificationAudience
NOTIFICATION_AUDIENCE_SELLER: NotificationAudience
NOTIFICATION_AUDIENCE_UNSPECIFIED: NotificationAudience
NOTIFICATION_TYPE_ADDRESS_CHANGE_REQUESTED: NotificationType
NOTIFICATION_TYPE_AUTO_CANCEL_WARNING: NotificationType
NOTIFICATION_TYPE_BUYER_CANCELLATION_REQUESTED: NotificationType
NOTIFICATION_TYPE_CARRIER_RETURN_REQUESTED: NotificationType
NOTIFICATION_TYPE_ITEMS_CANCELED: NotificationType
NOTIFICATION_TYPE_ORDER_CANCELED: NotificationType
NOTIFICATION_TYPE_ORDER_CREATED: NotificationType
NOTIFICATION_TYPE_PAYMENT_AUTHORIZED: NotificationType
NOTIFICATION_TYPE_REFUND_ISSUED: NotificationType
NOTIFICATION_TYPE_RETURN_RECORDED: NotificationType
NOTIFICATION_TYPE_SHIPMENT_CONFIRMED: NotificationType
NOTIFICATION_TYPE_UNSPECIFIED: NotificationType

class Heartbeat(_message.Message):
    __slots__ = ["cursor", "server_time"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    SERVER_TIME_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    server_time: _timestamp_pb2.Timestamp
    def __init__(self, server_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., cursor: _Optional[str] = ...) -> None: ...

class ItemQuantities(_message.Message):
    __slots__ = ["order_item_id", "quantity_canceled", "quantity_ordered", "quantity_shipped"]
    ORDER_ITEM_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_CANCELED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_ORDERED_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_SHIPPED_FIELD_NUMBER: _ClassVar[int]
    order_item_id: str
    quantity_canceled: int
    quantity_ordered: int
    quantity_shipped: int
    def __init__(self, order_item_id: _Optional[str] = ..., quantity_ordered: _Optional[int] = ..., quantity_shipped: _Optional[int] = ..., quantity_canceled: _Optional[int] = ...) -> None: ...

class Notification(_message.Message):
    __slots__ = ["address_change_reason", "audience", "cancellation", "cursor", "event_time", "notification_id", "order", "order_id", "refund", "type"]
    ADDRESS_CHANGE_REASON_FIELD_NUMBER: _ClassVar[int]
    AUDIENCE_FIELD_NUMBER: _ClassVar[int]
    CANCELLATION_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    address_change_reason: str
    audience: NotificationAudience
    cancellation: _types_pb2.Cancellation
    cursor: str
    event_time: _timestamp_pb2.Timestamp
    notification_id: str
    order: OrderSummary
    order_id: str
    refund: _types_pb2.Refund
    type: NotificationType
    def __init__(self, cursor: _Optional[str] = ..., notification_id: _Optional[str] = ..., type: _Optional[_Union[NotificationType, str]] = ..., audience: _Optional[_Union[NotificationAudience, str]] = ..., event_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., order_id: _Optional[str] = ..., order: _Optional[_Union[OrderSummary, _Mapping]] = ..., cancellation: _Optional[_Union[_types_pb2.Cancellation, _Mapping]] = ..., refund: _Optional[_Union[_types_pb2.Refund, _Mapping]] = ..., address_change_reason: _Optional[str] = ...) -> None: ...

class OrderSummary(_message.Message):
    __slots__ = ["buyer_cancellation_reason", "buyer_cancellation_requested", "items", "status"]
    BUYER_CANCELLATION_REASON_FIELD_NUMBER: _ClassVar[int]
    BUYER_CANCELLATION_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    buyer_cancellation_reason: str
    buyer_cancellation_requested: bool
    items: _containers.RepeatedCompositeFieldContainer[ItemQuantities]
    status: _types_pb2.OrderStatus
    def __init__(self, status: _Optional[_Union[_types_pb2.OrderStatus, str]] = ..., items: _Optional[_Iterable[_Union[ItemQuantities, _Mapping]]] = ..., buyer_cancellation_requested: bool = ..., buyer_cancellation_reason: _Optional[str] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ["order_ids", "resume_after", "types"]
    ORDER_IDS_FIELD_NUMBER: _ClassVar[int]
    RESUME_AFTER_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    order_ids: _containers.RepeatedScalarFieldContainer[str]
    resume_after: str
    types: _containers.RepeatedScalarFieldContainer[NotificationType]
    def __init__(self, resume_after: _Optional[str] = ..., types: _Optional[_Iterable[_Union[NotificationType, str]]] = ..., order_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SubscribeResponse(_message.Message):
    __slots__ = ["heartbeat", "notification"]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    heartbeat: Heartbeat
    notification: Notification
    def __init__(self, notification: _Optional[_Union[Notification, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ...) -> None: ...

class NotificationType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class NotificationAudience(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
