from celery import shared_task


@shared_task(name="notifications.send_deliveries")
def send_deliveries(ids: list[int]) -> None:
    from .delivery import send_delivery

    for delivery_id in ids:
        send_delivery(delivery_id)
